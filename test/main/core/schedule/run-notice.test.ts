import { describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { CampaignRunTracker, LONG_CAMPAIGN_MS } from '../../../../src/main/core/schedule/run-notice.ts';

function progress(
  campaignId: number,
  delivered: number,
  finished = false,
  recipients = 100,
): CampaignProgress {
  return {
    campaignId,
    state: finished ? 'completed' : 'sending',
    recipients,
    delivered,
    expired: 0,
    failed: 0,
    retrying: 0,
    inFlight: 0,
    uncertain: 0,
    skipped: 0,
    pending: recipients - delivered,
    rate: 10,
    etaSeconds: null,
    finished,
    services: [],
  };
}

describe('background campaign notices', () => {
  it('shows one progress value over every running campaign and removes it when all end', () => {
    const tracker = new CampaignRunTracker(() => 'x');
    expect(tracker.update(progress(1, 50), 0).progress).toBe(0.5);
    expect(tracker.update(progress(2, 0, false, 300), 0).progress).toBe(50 / 400);
    expect(tracker.update(progress(1, 100, true), 1).progress).toBe(0);
    expect(tracker.update(progress(2, 300, true, 300), 2).progress).toBeNull();
  });

  it('notifies when a long campaign ends, not a short one', () => {
    const tracker = new CampaignRunTracker((id) => `Sale ${id}`);
    tracker.update(progress(1, 0), 0);
    expect(tracker.update(progress(1, 100, true), 2_000).notify).toBeNull();
    tracker.update(progress(2, 0), 0);
    expect(tracker.update(progress(2, 100, true), LONG_CAMPAIGN_MS).notify).toEqual({
      title: 'Campaign finished: Sale 2',
      body: '100 delivered, 0 expired, 0 failed of 100.',
    });
  });
});
