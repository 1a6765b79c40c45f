import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { getApp } from '../../../../src/main/core/apps/apps.ts';
import { setDeliverySettings } from '../../../../src/main/core/apps/delivery-settings.ts';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail, deliveriesPage } from '../../../../src/main/core/campaigns/results.ts';
import { writeResultsFile } from '../../../../src/main/core/results-export/results-file.ts';
import { zonePlanPreview } from '../../../../src/main/core/delivery-time/campaign-timing.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { deliveryStates, draft, subscribe, type Subscriber } from '../campaigns/fixtures.ts';
import fs from 'node:fs';
import path from 'node:path';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('quiet hours', () => {
  let service: PushService;
  const clock = { now: at('2026-12-23T12:00:00Z') };
  const ctx = testContext({ now: () => clock.now });
  let app: AppSummary;
  let kolkata: Subscriber[];
  let berlin: Subscriber[];

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    setDeliverySettings(ctx, { appId: app.id, quietHours: { start: '21:00', end: '08:00' } }, getApp);
    kolkata = await subscribe(ctx, app, service, ['ok', 'ok']);
    berlin = await subscribe(ctx, app, service, ['ok']);
    for (const s of kolkata)
      ctx.db.prepare("UPDATE subscriptions SET timezone = 'Asia/Kolkata' WHERE id = ?").run(s.dbId);
    ctx.db.prepare("UPDATE subscriptions SET timezone = 'Europe/Berlin' WHERE id = ?").run(berlin[0]!.dbId);
  });
  afterAll(() => service.close());

  it('holds a local time inside quiet hours until they end, and leaves the first minute after them alone', () => {
    const plan = zonePlanPreview(ctx, app.id, {}, { localTime: { time: '07:59', date: '2026-12-24' } });
    expect(plan.zones.find((z) => z.timeZone === 'Asia/Kolkata')).toMatchObject({
      quietHours: 'held',
      localRelease: '2026-12-24 08:00',
      releaseAt: at('2026-12-24T02:30:00Z'),
    });
    expect(plan.heldBack).toEqual({ frequencyCap: 0, quietHours: 3, quietHoursPolicy: 'hold' });
    const open = zonePlanPreview(ctx, app.id, {}, { localTime: { time: '08:00', date: '2026-12-24' } });
    expect(open.zones.every((z) => z.quietHours === null)).toBe(true);
    expect(open.heldBack?.quietHours).toBe(0);
    // 21:00 is the first minute of quiet hours.
    const late = zonePlanPreview(ctx, app.id, {}, { localTime: { time: '21:00', date: '2026-12-24' } });
    expect(late.zones.find((z) => z.timeZone === 'Europe/Berlin')).toMatchObject({
      quietHours: 'held',
      localRelease: '2026-12-25 08:00',
    });
  });

  it('sends now to zones outside quiet hours and holds the others to their morning', async () => {
    // 12:00Z: 17:30 in Kolkata (open), 13:00 in Berlin (open) — then 16:00Z: 21:30 in Kolkata (quiet).
    clock.now = at('2026-12-23T16:00:00Z');
    const id = draft(ctx, app);
    const outcome = await sendCampaign(ctx, id);
    expect(outcome.state).toBe('scheduled');
    const ids = new Set(service.messages().map((m) => m.subscriptionId));
    expect(ids).toEqual(new Set([berlin[0]!.id]));
    const zone = campaignDetail(ctx, id).timing!.zones.find((z) => z.timeZone === 'Asia/Kolkata')!;
    expect(zone).toMatchObject({ quietHours: 'held', status: 'waiting', localRelease: '2026-12-24 08:00' });
  });

  it('skips the deliveries inside quiet hours when the campaign says so, and records why', async () => {
    clock.now = at('2026-12-23T16:00:00Z');
    const before = service.messages().length;
    const id = draft(ctx, app, { timing: { quietHours: 'skip' } });
    const outcome = await sendCampaign(ctx, id);
    expect(outcome.state).toBe('completed');
    expect(service.messages().length - before).toBe(1);
    const detail = campaignDetail(ctx, id);
    expect(detail.totals).toMatchObject({ recipients: 3, delivered: 1, skipped: 2, pending: 0 });
    expect(detail.byReason).toMatchObject({ 'quiet hours': 2 });
    // The one delivered answered 201; the two held back never asked the service, so no 'none' (no answer).
    expect(detail.byStatus).toEqual({ '201': 1 });
    const skipped = deliveriesPage(ctx, { id, states: ['skipped'], limit: 10 }).items;
    expect(skipped.map((d) => [d.reason, d.timeZone])).toEqual([
      ['quiet hours', 'Asia/Kolkata'],
      ['quiet hours', 'Asia/Kolkata'],
    ]);
    const file = path.join(tempDir(), 'results.csv');
    await writeResultsFile(ctx, id, 'csv', file);
    const rows = fs
      .readFileSync(file, 'utf8')
      .split('\r\n')
      .filter((l) => l.includes(',skipped,'));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.includes(',quiet hours,') && r.includes(',Asia/Kolkata,'))).toBe(true);
  });

  it('leaves one-off alerts alone unless the app says otherwise', async () => {
    clock.now = at('2026-12-23T16:00:00Z');
    const alert = { subscriptionIds: [kolkata[0]!.dbId] };
    expect(zonePlanPreview(ctx, app.id, alert, undefined).heldBack).toBeNull();
    const before = service.messages().length;
    expect((await sendCampaign(ctx, draft(ctx, app, { audience: alert }))).state).toBe('completed');
    expect(service.messages().length - before).toBe(1);
    setDeliverySettings(ctx, { appId: app.id, alertsIgnoreQuietHours: false }, getApp);
    expect(zonePlanPreview(ctx, app.id, alert, undefined).heldBack?.quietHours).toBe(1);
    setDeliverySettings(ctx, { appId: app.id, alertsIgnoreQuietHours: true }, getApp);
  });
});

describe('the frequency cap', () => {
  let service: PushService;
  const t0 = at('2026-12-01T10:00:00Z');
  const clock = { now: t0 };
  const ctx = testContext({ now: () => clock.now });
  let app: AppSummary;
  let x: Subscriber;
  let y: Subscriber;

  const sendAt = async (time: number, audience = {}) => {
    clock.now = time;
    const id = draft(ctx, app, { audience });
    await sendCampaign(ctx, id);
    return Object.assign(deliveryStates(ctx, id), { id });
  };

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    const subs = await subscribe(ctx, app, service, ['ok', 'ok']);
    x = subs[0]!;
    y = subs[1]!;
  });
  afterAll(() => service.close());

  it('skips a subscriber who had N campaigns in the last 24 hours, until 24 hours have passed', async () => {
    setDeliverySettings(ctx, { appId: app.id, frequencyCap: { per24h: 1 } }, getApp);
    // x gets A; y only from then on.
    expect((await sendAt(t0, { subscriptionIds: [x.dbId] })).get(x.dbId)?.state).toBe('sent');
    clock.now = t0 + HOUR;
    expect(zonePlanPreview(ctx, app.id, {}, undefined).heldBack).toEqual({
      frequencyCap: 1,
      quietHours: 0,
      quietHoursPolicy: 'hold',
    });
    const b = await sendAt(t0 + DAY - 60_000);
    expect(b.get(x.dbId)).toMatchObject({ state: 'skipped', reason: 'frequency cap', outcome: 'not-sent' });
    expect(b.get(y.dbId)?.state).toBe('sent');
    // Exactly 24 hours after A: A has left the window (now - 24 h, now]; B's skip never counted.
    const c = await sendAt(t0 + DAY);
    expect(c.get(x.dbId)?.state).toBe('sent');
    expect(c.get(y.dbId)?.state).toBe('skipped');
  });

  it('counts 7 days as well, and lets one-off alerts through', async () => {
    setDeliverySettings(ctx, { appId: app.id, frequencyCap: { per24h: null, per7d: 2 } }, getApp);
    // x so far: A at t0 and C at t0 + 1 day.
    const d = await sendAt(t0 + 7 * DAY - 60_000);
    expect(d.get(x.dbId)).toMatchObject({ state: 'skipped', reason: 'frequency cap' });
    const alert = await sendAt(t0 + 7 * DAY - 30_000, { subscriptionIds: [x.dbId] });
    expect(alert.get(x.dbId)?.state).toBe('sent');
    // At t0 + 7 days A no longer counts, but C and the alert do.
    const e = await sendAt(t0 + 7 * DAY);
    expect(e.get(x.dbId)?.state).toBe('skipped');
    const f = await sendAt(t0 + 8 * DAY);
    expect(f.get(x.dbId)?.state).toBe('sent');
    expect(campaignDetail(ctx, d.id)).toMatchObject({
      byReason: { 'frequency cap': 1 },
      totals: { recipients: 2, delivered: 1, skipped: 1 },
    });
  });
});
