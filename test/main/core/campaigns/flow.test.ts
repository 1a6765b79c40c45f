import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { rotateKey, rotationPreview } from '../../../../src/main/core/apps/app-keys.ts';
import { getApp } from '../../../../src/main/core/apps/apps.ts';
import {
  sendCampaign,
  startResume,
  startSend,
  stopCampaign,
} from '../../../../src/main/core/campaigns/campaigns.ts';
import { createJournal } from '../../../../src/main/core/campaigns/journal.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from './fixtures.ts';

function perSubscriber(service: PushService): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of service.messages()) counts.set(m.subscriptionId, (counts.get(m.subscriptionId) ?? 0) + 1);
  return counts;
}

describe('flow control', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService({ delayMs: 15 });
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  it('never has more requests open than the concurrency limit, over one origin', async () => {
    await subscribe(ctx, app, service, Array(300).fill('ok'), { tags: ['c'] });
    const id = draft(ctx, app, {
      audience: { tagsAny: ['c'] },
      options: { concurrency: 5, perOriginConcurrency: 3 },
    });
    const outcome = await sendCampaign(ctx, id);
    expect(outcome.totals.delivered).toBe(300);
    expect(service.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(service.maxConcurrent()).toBeGreaterThan(1);
  });

  it('holds to the messages-per-second cap', async () => {
    const subs = await subscribe(ctx, app, service, Array(21).fill('ok'), { tags: ['r'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['r'] }, options: { rate: 20 } });
    await sendCampaign(ctx, id);
    const times = subs.map((s) => service.messages(s.id)[0]!.receivedAt).sort((a, b) => a - b);
    // 21 messages at 20 per second take a second (less the first request's own latency on a busy machine).
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(750);
  });

  it('backs off a whole origin after 429 with Retry-After, then delivers', async () => {
    const subs = await subscribe(ctx, app, service, ['429-then-201', 'ok', 'ok'], { tags: ['t'] });
    const id = draft(ctx, app, { audience: { tagsAny: ['t'] }, options: { concurrency: 1 } });
    await sendCampaign(ctx, id);
    const first = service.log().find((entry) => entry.subscriptionId === subs[0]!.id)!;
    expect(first.status).toBe(429);
    // Retry-After: 1 held back the other subscriptions of that service too, not only the throttled one.
    const next = Math.min(...subs.map((s) => service.messages(s.id)[0]!.receivedAt));
    expect(next - first.at).toBeGreaterThanOrEqual(950);
    expect(campaignDetail(ctx, id).totals.delivered).toBe(3);
  });
});

describe('pause, resume, cancel', () => {
  const ctx = testContext();
  let service: PushService;
  let app: AppSummary;

  beforeAll(async () => {
    service = await startPushService({ delayMs: 10 });
    app = createTestApp(ctx);
  });
  afterAll(() => service.close());

  it('pauses promptly and resumes with only what is pending: everybody once', async () => {
    await subscribe(ctx, app, service, Array(250).fill('ok'));
    const id = draft(ctx, app, { options: { concurrency: 4 } });
    const run = startSend(ctx, id);
    while (service.messages().length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stopCampaign(ctx, id, 'pause').state).toBe('paused');
    const paused = await run.done;
    expect(paused.state).toBe('paused');
    expect(paused.totals.pending).toBeGreaterThan(0);
    expect(paused.totals.uncertain).toBe(0);
    const sentAtPause = service.messages().length;
    expect(sentAtPause).toBe(paused.totals.delivered);

    const resumed = await startResume(ctx, id).done;
    expect(resumed.state).toBe('completed');
    expect(resumed.totals).toMatchObject({ delivered: 250, pending: 0, uncertain: 0 });
    const counts = perSubscriber(service);
    expect(counts.size).toBe(250);
    expect(Math.max(...counts.values())).toBe(1);
  });

  it('cancels: nothing more is sent and the campaign cannot be resumed', async () => {
    const id = draft(ctx, app, { options: { concurrency: 2 } });
    const before = service.messages().length;
    const run = startSend(ctx, id);
    while (service.messages().length < before + 5) await new Promise((resolve) => setTimeout(resolve, 5));
    stopCampaign(ctx, id, 'cancel');
    const outcome = await run.done;
    expect(outcome.state).toBe('cancelled');
    const after = service.messages().length;
    expect(after - before).toBeLessThan(250);
    expect(() => startResume(ctx, id)).toThrow(expect.objectContaining({ code: 'CAMPAIGN_NOT_RESUMABLE' }));
  });
});

describe('cancel with requests stuck in flight', () => {
  it('aborts them after a short grace and reports them uncertain, without waiting for the 60 s timeout', async () => {
    const ctx = testContext();
    const service = await startPushService();
    try {
      const app = createTestApp(ctx);
      const subs = await subscribe(ctx, app, service, ['stall', 'stall', 'stall']);
      const id = draft(ctx, app, { options: { timeoutMs: 60_000 } });
      const run = startSend(ctx, id);
      while (service.log().filter((e) => e.status === 'stall').length < 3) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      stopCampaign(ctx, id, 'cancel');
      const outcome = await run.done;
      expect(outcome.state).toBe('cancelled');
      expect(outcome.totals).toMatchObject({ uncertain: 3, inFlight: 0, pending: 0 });
      const reasons = ctx.db
        .prepare('SELECT reason FROM deliveries WHERE campaign_id = ?')
        .pluck()
        .all(id) as string[];
      expect(reasons).toEqual(Array(3).fill(expect.stringMatching(/^stopped while in flight/)));
      expect(subs.every((s) => service.messages(s.id).length === 0)).toBe(true);
    } finally {
      await service.close();
    }
  });
});

describe('after a crash', () => {
  it('reports requests left in flight as uncertain and re-sends them only when asked', async () => {
    const ctx = testContext();
    const service = await startPushService();
    try {
      const app = createTestApp(ctx);
      const subs = await subscribe(ctx, app, service, Array(6).fill('ok'));
      const crashed = async (resendUncertain: boolean) => {
        const id = draft(ctx, app);
        createJournal(ctx.db, id, app.id, {}, Date.now());
        // As a killed sender leaves it: two requests marked in flight, the process gone.
        const dead = spawnSync(process.execPath, ['-e', '']).pid!;
        ctx.db.prepare("UPDATE campaigns SET state = 'sending', runner_pid = ? WHERE id = ?").run(dead, id);
        ctx.db
          .prepare(
            "UPDATE deliveries SET state = 'in_flight', attempts = 1 WHERE campaign_id = ? AND subscription_id IN (?, ?)",
          )
          .run(id, subs[0]!.dbId, subs[1]!.dbId);
        expect(campaignDetail(ctx, id).interrupted).toBe(true);
        return startResume(ctx, id, { resendUncertain }).done;
      };
      const before = (s: (typeof subs)[number]) => service.messages(s.id).length;

      const atMostOnce = await crashed(false);
      expect(atMostOnce.totals).toMatchObject({ delivered: 4, uncertain: 2 });
      expect(subs.map(before)).toEqual([0, 0, 1, 1, 1, 1]);

      const atLeastOnce = await crashed(true);
      expect(atLeastOnce.totals).toMatchObject({ delivered: 6, uncertain: 0 });
      expect(subs.map(before)).toEqual([1, 1, 2, 2, 2, 2]);
    } finally {
      await service.close();
    }
  });
});

describe('keys', () => {
  it('signs each subscription with the key it was created with, the current key when it has none', async () => {
    const ctx = testContext();
    const service = await startPushService();
    try {
      const app = createTestApp(ctx);
      const oldKeyId = app.keyId!;
      const old = await service.subscribe({ applicationServerKey: app.publicKey! });
      const preview = rotationPreview(ctx, app.id);
      rotateKey(ctx, app.id, { confirmOrphaned: preview.orphaned });
      const rotated = getApp(ctx, app.id);
      expect(rotated.keyId).not.toBe(oldKeyId);
      const fresh = await service.subscribe({ applicationServerKey: rotated.publicKey! });
      // Made with the old key but stored without it: signed with the new key, the service refuses it.
      const orphan = await service.subscribe({ applicationServerKey: app.publicKey! });
      const ids = insertSubscriptions(ctx.db, app.id, [{ ...old, keyId: oldKeyId }, fresh, orphan]);
      const outcome = await sendCampaign(ctx, draft(ctx, rotated));
      expect(outcome.totals).toMatchObject({ delivered: 2, expired: 1, failed: 0 });
      expect(service.messages(old.id)).toHaveLength(1);
      expect(service.messages(fresh.id)).toHaveLength(1);
      expect(service.messages(orphan.id)).toHaveLength(0);
      const row = ctx.db
        .prepare('SELECT status, last_status, last_reason FROM subscriptions WHERE id = ?')
        .get(ids[2]);
      expect(row).toMatchObject({
        status: 'expired',
        last_status: 403,
        last_reason: expect.stringMatching(/^key mismatch/),
      });
    } finally {
      await service.close();
    }
  });
});
