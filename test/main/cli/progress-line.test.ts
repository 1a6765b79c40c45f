import { describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../src/shared/campaigns.ts';
import { progressLine } from '../../../src/main/cli/commands/campaign-follow.ts';

const progress = (overrides: Partial<CampaignProgress>): CampaignProgress => ({
  campaignId: 1,
  state: 'sending',
  recipients: 1000,
  delivered: 400,
  expired: 0,
  failed: 0,
  retrying: 0,
  inFlight: 380,
  uncertain: 0,
  skipped: 0,
  pending: 220,
  rate: 3950,
  etaSeconds: 1,
  finished: false,
  services: [],
  ...overrides,
});

const services: CampaignProgress['services'] = [
  {
    origin: 'https://fcm.googleapis.com',
    pushService: 'fcm',
    inFlight: 0,
    limit: 90,
    latencyMs: 82,
    floorMs: 80,
    rate: 0,
    holdBack: 'backing off, 429 Retry-After 30 s (28 s left)',
  },
  {
    origin: 'https://push.example:8443',
    pushService: 'other',
    inFlight: 380,
    limit: 412,
    latencyMs: 81,
    floorMs: 80,
    rate: 3950.4,
    holdBack: null,
  },
];

describe('the CLI progress line', () => {
  it('shows each push service’s limit, latency and rate, and why it holds back', () => {
    const line = progressLine(
      progress({
        services,
      }),
    );
    expect(line).toBe(
      'sending: 400/1000 · 400 delivered · 0 expired · 0 failed · 3950 msg/s · 1s left' +
        ' | FCM: 0 in flight, limit 90, 82 ms, 0 msg/s (backing off, 429 Retry-After 30 s (28 s left))' +
        ' | push.example:8443: 380 in flight, limit 412, 81 ms, 3950 msg/s',
    );
  });

  it('leaves the services out of the last line', () => {
    const last = progressLine(progress({ finished: true, state: 'completed', services }));
    expect(last).toBe('completed: 400/1000 · 400 delivered · 0 expired · 0 failed · 3950 msg/s');
  });
});
