import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import type { CampaignProgress } from '../../../../src/shared/campaigns.ts';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe } from './fixtures.ts';

describe('sending a campaign to the local push service', () => {
  let service: PushService;
  const ctx = testContext();
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  it('classifies every answer, retries what may succeed, and marks gone subscriptions expired', async () => {
    const subs = await subscribe(ctx, app, service, [
      'ok',
      'ok',
      '404',
      '410',
      '413',
      '400',
      '429-then-201',
      '500-then-201',
      '503-then-201',
      'wns-406-then-201',
      'always-500',
      'fcm-key-mismatch',
      'mozilla-key-mismatch',
      'apple-key-mismatch',
      'apple-bad-jwt',
      'reset',
      'stall',
    ]);
    const id = draft(ctx, app, { options: { maxAttempts: 2, timeoutMs: 500, retryBaseMs: 20 } });
    const progress: CampaignProgress[] = [];
    const outcome = await sendCampaign(ctx, id, { onProgress: (p) => progress.push(p) });
    expect(outcome.state).toBe('completed');

    const states = deliveryStates(ctx, id);
    const of = (behaviour: string) => states.get(subs.find((s) => s.behaviour === behaviour)!.dbId)!;
    expect(of('ok')).toMatchObject({ state: 'sent', outcome: 'delivered', http_status: 201, attempts: 1 });
    expect(of('404')).toMatchObject({ state: 'expired', outcome: 'expired', http_status: 404 });
    expect(of('410')).toMatchObject({ state: 'expired', outcome: 'expired', http_status: 410 });
    expect(of('413')).toMatchObject({ state: 'failed', outcome: 'rejected', http_status: 413, attempts: 1 });
    expect(of('400')).toMatchObject({ state: 'failed', outcome: 'rejected', http_status: 400, attempts: 1 });
    for (const b of ['429-then-201', '500-then-201', '503-then-201', 'wns-406-then-201']) {
      expect(of(b), b).toMatchObject({ state: 'sent', http_status: 201, attempts: 2 });
    }
    expect(of('always-500')).toMatchObject({
      state: 'failed',
      outcome: 'transient',
      http_status: 500,
      attempts: 2,
    });
    expect(of('fcm-key-mismatch')).toMatchObject({ state: 'expired', http_status: 403 });
    expect(of('mozilla-key-mismatch')).toMatchObject({ state: 'expired', http_status: 401 });
    expect(of('apple-key-mismatch')).toMatchObject({ state: 'expired', http_status: 400 });
    expect(of('apple-bad-jwt')).toMatchObject({ state: 'failed', outcome: 'auth', reason: 'BadJwtToken' });
    expect(of('reset')).toMatchObject({
      state: 'failed',
      outcome: 'transient',
      reason: 'connection reset',
      attempts: 2,
    });
    expect(of('stall')).toMatchObject({
      state: 'failed',
      outcome: 'transient',
      reason: 'timeout',
      attempts: 2,
    });

    // The push service decrypted the payload with its own code.
    const received = service.messages(subs[0]!.id);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.payload!.toString('utf8'))).toMatchObject({
      title: 'Hello',
      body: 'World',
    });

    const expired = ctx.db
      .prepare("SELECT id FROM subscriptions WHERE status = 'expired' ORDER BY id")
      .pluck()
      .all();
    expect(expired).toEqual(
      ['404', '410', 'fcm-key-mismatch', 'mozilla-key-mismatch', 'apple-key-mismatch'].map(
        (b) => subs.find((s) => s.behaviour === b)!.dbId,
      ),
    );
    const okRow = ctx.db
      .prepare('SELECT last_status, last_success_at FROM subscriptions WHERE id = ?')
      .get(subs[0]!.dbId);
    expect(okRow).toMatchObject({ last_status: 201 });

    const detail = campaignDetail(ctx, id);
    expect(detail.totals).toMatchObject({ recipients: 17, delivered: 6, expired: 5, failed: 6, pending: 0 });
    expect(detail.byStatus['201']).toBe(6);
    expect(detail.latencyMs.p50).not.toBeNull();
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({
      finished: true,
      state: 'completed',
      delivered: 6,
      expired: 5,
      failed: 6,
      pending: 0,
    });

    // Expired subscriptions are left out of the next campaign.
    const next = draft(ctx, app, { options: { maxAttempts: 1, timeoutMs: 500 } });
    await sendCampaign(ctx, next);
    expect(campaignDetail(ctx, next).totals.recipients).toBe(12);
  });
});
