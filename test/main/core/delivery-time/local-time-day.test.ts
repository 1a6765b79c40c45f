import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../../src/shared/apps.ts';
import { getApp } from '../../../../src/main/core/apps/apps.ts';
import { setDeliverySettings } from '../../../../src/main/core/apps/delivery-settings.ts';
import { campaignRow, sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { campaignDetail } from '../../../../src/main/core/campaigns/results.ts';
import { runDueCampaigns } from '../../../../src/main/core/schedule/due-runner.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { deliveryStates, draft, subscribe, type Subscriber } from '../campaigns/fixtures.ts';

const at = (iso: string) => Date.parse(iso);
const clock = { now: at('2026-03-07T18:00:00Z') };

// 09:00 on 2026-03-08 in each zone, worked out by hand from each zone's offset that day (tz database:
// Kiritimati +14, Chatham +13:45, Eucla +8:45, Kathmandu +5:45, Kolkata +5:30; St John's and New York
// switch to summer time at 02:00 that very morning: -2:30 and -4).
const releases: Record<string, string> = {
  'Pacific/Kiritimati': '2026-03-07T19:00:00Z',
  'Pacific/Chatham': '2026-03-07T19:15:00Z',
  'Asia/Tokyo': '2026-03-08T00:00:00Z', // the app's default zone: subscriptions without one
  'Australia/Eucla': '2026-03-08T00:15:00Z',
  'Asia/Kathmandu': '2026-03-08T03:15:00Z',
  'Asia/Kolkata': '2026-03-08T03:30:00Z',
  'Europe/Berlin': '2026-03-08T08:00:00Z',
  UTC: '2026-03-08T09:00:00Z',
  'America/St_Johns': '2026-03-08T11:30:00Z',
  'America/New_York': '2026-03-08T13:00:00Z',
  'Pacific/Pago_Pago': '2026-03-08T20:00:00Z',
};

describe('a campaign at 09:00 in each subscriber’s time zone', () => {
  let service: PushService;
  const ctx = testContext({ now: () => clock.now });
  let app: AppSummary;
  const byZone = new Map<string, Subscriber[]>();

  const runDue = async () => {
    const run = runDueCampaigns(ctx, (id) => sendCampaign(ctx, id, { scheduled: true }));
    await Promise.all(run.running);
    return run;
  };
  const receivedIds = () => new Set(service.messages().map((m) => m.subscriptionId));

  beforeAll(async () => {
    service = await startPushService();
    app = createTestApp(ctx);
    setDeliverySettings(ctx, { appId: app.id, defaultTimeZone: 'Asia/Tokyo' }, getApp);
    for (const zone of Object.keys(releases)) {
      const subs = await subscribe(ctx, app, service, ['ok', 'ok']);
      const stored = zone === 'Asia/Tokyo' ? null : zone;
      for (const s of subs)
        ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?').run(stored, s.dbId);
      byZone.set(zone, subs);
    }
  });
  afterAll(() => service.close());

  it('releases each zone at its local time over the day, DST and 45-minute zones included', async () => {
    const id = draft(ctx, app, {
      timing: { localTime: { time: '09:00', date: '2026-03-08' } },
      options: { ttl: 3600 },
    });
    const first = await sendCampaign(ctx, id);
    expect(first.state).toBe('scheduled');
    expect(service.messages()).toHaveLength(0);
    expect(campaignRow(ctx, id).scheduled_at).toBe(at('2026-03-07T19:00:00Z'));

    const planned = campaignDetail(ctx, id).timing!;
    expect(
      Object.fromEntries(planned.zones.map((z) => [z.timeZone, new Date(z.releaseAt).toISOString()])),
    ).toEqual(
      Object.fromEntries(Object.entries(releases).map(([z, iso]) => [z, new Date(iso).toISOString()])),
    );
    expect(planned.zones.every((z) => z.localRelease === '2026-03-08 09:00' && z.status === 'waiting')).toBe(
      true,
    );
    expect(planned.lastZoneEta).toBe(at(releases['Pacific/Pago_Pago']!));

    const order = Object.entries(releases).sort((a, b) => at(a[1]) - at(b[1]));
    const got = new Set<string>();
    for (const [zone, iso] of order) {
      clock.now = at(iso) - 60_000;
      await runDue();
      expect(receivedIds(), `nothing for ${zone} a minute early`).toEqual(got);
      clock.now = at(iso);
      const run = await runDue();
      expect(run.started, zone).toEqual([id]);
      for (const s of byZone.get(zone)!) got.add(s.id);
      expect(receivedIds(), `${zone} at ${iso}`).toEqual(got);
      if (zone === 'Europe/Berlin') {
        const mid = campaignDetail(ctx, id);
        expect(mid.state).toBe('scheduled');
        expect(mid.scheduledAt).toBe(at(releases.UTC!));
        const status = Object.fromEntries(mid.timing!.zones.map((z) => [z.timeZone, z.status]));
        expect(status).toMatchObject({ 'Asia/Kolkata': 'done', 'Europe/Berlin': 'done', UTC: 'waiting' });
        expect(mid.timing!.nextReleaseAt).toBe(at(releases.UTC!));
        expect(mid.timing!.lastZoneEta).toBe(at(releases['Pacific/Pago_Pago']!));
      }
    }

    const done = campaignDetail(ctx, id);
    expect(done.state).toBe('completed');
    expect(done.totals).toMatchObject({ recipients: 22, delivered: 22, skipped: 0, pending: 0 });
    expect(done.timing!.zones.every((z) => z.status === 'done' && z.delivered === 2)).toBe(true);
    expect(done.timing!.lastZoneEta).toBeNull();
    // One message each, and TTL from each one's release: the header says 3600 whenever it left.
    const messages = service.messages();
    expect(messages).toHaveLength(22);
    expect(new Set(messages.map((m) => m.subscriptionId)).size).toBe(22);
    expect(messages.every((m) => m.ttl === '3600')).toBe(true);
  });

  it('sends the zones already past at once, or plans them for the next day, as the user chose', async () => {
    clock.now = at('2026-03-08T05:00:00Z');
    const before = service.messages().length;
    const now = draft(ctx, app, {
      timing: { localTime: { time: '09:00', date: '2026-03-08', pastZones: 'now' } },
    });
    const outcome = await sendCampaign(ctx, now);
    expect(outcome.state).toBe('scheduled');
    const past = [
      'Pacific/Kiritimati',
      'Pacific/Chatham',
      'Asia/Tokyo',
      'Australia/Eucla',
      'Asia/Kathmandu',
      'Asia/Kolkata',
    ];
    const sentNow = service
      .messages()
      .slice(before)
      .map((m) => m.subscriptionId)
      .sort();
    expect(sentNow).toEqual(past.flatMap((z) => byZone.get(z)!.map((s) => s.id)).sort());
    const zonesNow = campaignDetail(ctx, now).timing!.zones;
    expect(zonesNow.find((z) => z.timeZone === 'Asia/Kolkata')).toMatchObject({
      status: 'done',
      releaseAt: clock.now,
    });
    expect(zonesNow.find((z) => z.timeZone === 'Europe/Berlin')).toMatchObject({ status: 'waiting' });

    const nextDay = draft(ctx, app, { timing: { localTime: { time: '09:00', date: '2026-03-08' } } });
    const count = service.messages().length;
    await sendCampaign(ctx, nextDay);
    expect(service.messages().length).toBe(count);
    const zones = campaignDetail(ctx, nextDay).timing!.zones;
    expect(zones.find((z) => z.timeZone === 'Asia/Kolkata')).toMatchObject({
      releaseAt: at('2026-03-09T03:30:00Z'),
      localRelease: '2026-03-09 09:00',
    });
    expect(zones.find((z) => z.timeZone === 'Europe/Berlin')!.releaseAt).toBe(at(releases['Europe/Berlin']!));
    expect(campaignDetail(ctx, nextDay).timing!.lastZoneEta).toBe(at('2026-03-09T03:30:00Z'));
  });

  it('refuses a day that is over in every zone', async () => {
    clock.now = at('2026-03-09T21:00:00Z');
    const id = draft(ctx, app, {
      timing: { localTime: { time: '09:00', date: '2026-03-08', pastZones: 'now' } },
    });
    expect(() => sendCampaign(ctx, id)).toThrow(/has passed in every subscriber's time zone/);
    expect(campaignRow(ctx, id).state).toBe('draft');
    expect(deliveryStates(ctx, id).size).toBe(0);
  });
});
