import { describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY, DEFAULT_PER_ORIGIN_CONCURRENCY } from '../../../../src/shared/campaigns.ts';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { storedSendOptions } from '../../../../src/main/core/campaigns/stored-options.ts';
import { startPushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

// The options row of a campaign saved before the adaptive limit: a fixed working concurrency, no per-origin cap.
const OLD_ROW = {
  ttl: 86_400,
  urgency: 'normal',
  concurrency: 64,
  timeoutMs: 30_000,
  maxAttempts: 5,
  retryBaseMs: 50,
  retryAfterCapMs: 120_000,
  workers: 0,
};

describe('stored send options', () => {
  it('reads the old default of 64 in flight as today’s caps', () => {
    const options = storedSendOptions(JSON.stringify(OLD_ROW));
    expect(options.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(options.perOriginConcurrency).toBe(DEFAULT_PER_ORIGIN_CONCURRENCY);
    expect(options.retryBaseMs).toBe(50);
  });

  it('keeps a concurrency an old campaign chose (not 64) as its overall cap', () => {
    const options = storedSendOptions(JSON.stringify({ ...OLD_ROW, concurrency: 16 }));
    expect(options.concurrency).toBe(16);
    expect(options.perOriginConcurrency).toBe(DEFAULT_PER_ORIGIN_CONCURRENCY);
  });

  it('keeps 64 when a campaign saved with both caps chose it', () => {
    const options = storedSendOptions(
      JSON.stringify({ ...OLD_ROW, concurrency: 64, perOriginConcurrency: 1024 }),
    );
    expect(options.concurrency).toBe(64);
  });

  it('sends an old campaign with more than 64 in flight', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    // 150 ms answers: the limit has round trips to grow in while 1,000 messages go out.
    const service = await startPushService({ http2: true, delayMs: 150 });
    try {
      await subscribe(ctx, app, service, Array(1000).fill('ok'));
      const id = draft(ctx, app);
      ctx.db.prepare('UPDATE campaigns SET options = ? WHERE id = ?').run(JSON.stringify(OLD_ROW), id);
      expect(campaignDetail(ctx, id).options.concurrency).toBe(DEFAULT_CONCURRENCY);
      const outcome = await sendCampaign(ctx, id, { ca: [service.ca!] });
      expect(outcome.totals.delivered).toBe(1000);
      expect(service.maxConcurrent()).toBeGreaterThan(64);
    } finally {
      await service.close();
      ctx.db.close();
    }
  });
});
