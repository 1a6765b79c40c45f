import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, setSubject } from '../../../../src/main/core/apps/apps.ts';
import { sendCampaign, startResume } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe, type Subscriber } from './fixtures.ts';

describe('a push service that refuses the sender pauses only its origin', () => {
  const ctx = testContext();
  let apple: PushService;
  let other: PushService;
  let untrusted: PushService;

  beforeAll(async () => {
    // Refuses a subject on a .local domain with 403 BadJwtToken, as web.push.apple.com does.
    apple = await startPushService({ appleSubjectRules: true });
    other = await startPushService();
    untrusted = await startPushService({ https: true });
  });
  afterAll(async () => {
    await Promise.all([apple.close(), other.close(), untrusted.close()]);
  });

  const states = (id: number, subs: Subscriber[]) => {
    const all = deliveryStates(ctx, id);
    return subs.map((sub) => all.get(sub.dbId)!);
  };

  it('stops after five BadJwtToken answers, keeps those deliveries pending, and delivers them once the subject is changed and the campaign resumed', async () => {
    const app = createApp(ctx, { name: 'shop.example', subject: 'mailto:ops@shop.local' });
    const atApple = await subscribe(ctx, app, apple, Array(12).fill('ok'), { pushService: 'apple' });
    const elsewhere = await subscribe(ctx, app, other, Array(6).fill('ok'));
    // One request at a time per origin, so the count of answers before the pause is exact.
    const id = draft(ctx, app, { options: { perOriginConcurrency: 1 } });

    const first = await sendCampaign(ctx, id);
    expect(first.state).toBe('paused');
    expect(first.error).toBe(
      `Paused sending to ${apple.origin} (12 deliveries wait): Apple refuses the VAPID token: BadJwtToken — ` +
        "the subject must be a mailto: or https: URL you own (not localhost or a .local address). Change the app's subject, then resume the campaign.",
    );
    expect(apple.requests()).toBe(5);
    expect(apple.messages()).toHaveLength(0);
    // The other service carried on.
    expect(other.messages()).toHaveLength(6);
    expect(states(id, elsewhere).map((d) => d.state)).toEqual(Array(6).fill('sent'));
    // Pending, not failed: the five refused ones keep the answer that paused them.
    const waiting = states(id, atApple);
    expect(waiting.map((d) => d.state)).toEqual(Array(12).fill('pending'));
    expect(waiting.filter((d) => d.reason === 'BadJwtToken' && d.http_status === 403)).toHaveLength(5);
    const detail = campaignDetail(ctx, id);
    expect(detail.lastError).toBe(first.error);
    expect(detail.totals).toMatchObject({ delivered: 6, failed: 0, pending: 12, expired: 0 });
    const active = ctx.db
      .prepare("SELECT COUNT(*) FROM subscriptions WHERE app_id = ? AND status = 'active'")
      .pluck()
      .get(app.id);
    expect(active).toBe(18);

    setSubject(ctx, app.id, 'mailto:ops@shop.example');
    const resumed = await startResume(ctx, id).done;
    expect(resumed).toMatchObject({ state: 'completed', error: null });
    for (const sub of atApple) expect(apple.messages(sub.id), sub.id).toHaveLength(1);
    expect(other.messages()).toHaveLength(6);
    expect(campaignDetail(ctx, id)).toMatchObject({
      lastError: null,
      totals: { delivered: 18, failed: 0, pending: 0 },
    });
  });

  it('pauses an origin whose certificate is not trusted without retrying it, says NODE_EXTRA_CA_CERTS, and sends once the CA is given', async () => {
    const app = createTestApp(ctx);
    const subs = await subscribe(ctx, app, untrusted, Array(8).fill('ok'));
    const id = draft(ctx, app, { options: { perOriginConcurrency: 1, maxAttempts: 5 } });

    const first = await sendCampaign(ctx, id);
    expect(first.state).toBe('paused');
    expect(first.error).toContain(`Paused sending to ${untrusted.origin} (8 deliveries wait)`);
    expect(first.error).toMatch(
      /cannot be reached: TLS certificate not trusted \(\w+\).*NODE_EXTRA_CA_CERTS/,
    );
    const waiting = states(id, subs);
    expect(waiting.map((d) => d.state)).toEqual(Array(8).fill('pending'));
    // Each refused one was tried once: a certificate is not a passing fault.
    expect(waiting.filter((d) => d.attempts === 1 && d.reason?.includes('NODE_EXTRA_CA_CERTS'))).toHaveLength(
      5,
    );
    expect(waiting.filter((d) => d.attempts === 0)).toHaveLength(3);

    const resumed = await startResume(ctx, id, { ca: [untrusted.ca!] }).done;
    expect(resumed.state).toBe('completed');
    for (const sub of subs) expect(untrusted.messages(sub.id)).toHaveLength(1);
  });

  it('pauses an origin that refuses every message as too large, and one that answers only 5xx, while a third delivers', async () => {
    const tooLarge = await startPushService();
    const down = await startPushService();
    try {
      const app = createTestApp(ctx);
      await subscribe(ctx, app, tooLarge, Array(7).fill('413'));
      await subscribe(ctx, app, down, Array(7).fill('always-500'));
      const fine = await subscribe(ctx, app, other, Array(3).fill('ok'));
      const id = draft(ctx, app, { options: { perOriginConcurrency: 1, maxAttempts: 3, retryBaseMs: 1 } });

      const outcome = await sendCampaign(ctx, id);
      expect(outcome.state).toBe('paused');
      expect(outcome.error).toContain(
        `Paused sending to ${tooLarge.origin} (7 deliveries wait): ${tooLarge.origin.slice(7)} refuses every message: PayloadTooLarge — the message is too large for this service`,
      );
      expect(outcome.error).toContain(
        `Paused sending to ${down.origin} (7 deliveries wait): ${down.origin.slice(7)} is failing: Internal Server Error`,
      );
      expect(tooLarge.requests()).toBe(5);
      expect(down.requests()).toBe(10);
      expect(states(id, fine).map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
      expect(campaignDetail(ctx, id).totals).toMatchObject({ delivered: 3, failed: 0, pending: 14 });
    } finally {
      await Promise.all([tooLarge.close(), down.close()]);
    }
  });

  it("expires a subscription on FCM's real mismatch answer, so a second campaign no longer sends to it", async () => {
    const fcm = await startPushService();
    try {
      const app = createTestApp(ctx);
      const [mismatched, ...rest] = await subscribe(ctx, app, fcm, ['fcm-key-mismatch', 'ok', 'ok'], {
        pushService: 'fcm',
      });
      const first = draft(ctx, app);
      expect((await sendCampaign(ctx, first)).state).toBe('completed');
      const answered = deliveryStates(ctx, first).get(mismatched!.dbId)!;
      expect(answered).toMatchObject({ state: 'expired', outcome: 'expired', http_status: 403 });
      expect(answered.reason).toMatch(
        /^key mismatch: the key in the authorization header does not correspond to the sender ID/,
      );
      const status = ctx.db.prepare('SELECT status FROM subscriptions WHERE id = ?').pluck();
      expect(status.get(mismatched!.dbId)).toBe('expired');

      const second = draft(ctx, app);
      const outcome = await sendCampaign(ctx, second);
      expect(outcome).toMatchObject({ state: 'completed', totals: { recipients: 2, delivered: 2 } });
      expect(deliveryStates(ctx, second).has(mismatched!.dbId)).toBe(false);
      // One request in all to the mismatched subscription: the first campaign's.
      expect(fcm.log().filter((entry) => entry.subscriptionId === mismatched!.id)).toHaveLength(1);
      for (const sub of rest) expect(fcm.messages(sub.id)).toHaveLength(2);
    } finally {
      await fcm.close();
    }
  });
});
