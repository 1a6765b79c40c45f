// Local-time delivery in a real browser against the real handler table and the local push service, on an
// injected clock (the core's ctx.now and the page's Date, moved together): delivery rules set on the Keys
// page, a zone set in the subscription drawer, the composer's held-back count, a campaign scheduled at 09:00
// in each subscriber's zone with quiet hours held and a cap, its zones released one by one by the due
// runner, and the results saying who was held or skipped and why, exported.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readDeliverySettings } from '../../src/main/core/apps/delivery-settings.ts';
import { createCampaign, sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { runDueCampaigns } from '../../src/main/core/schedule/due-runner.ts';
import { startPushService } from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { createTestApp } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

function eventually<T>(fn: () => T | Promise<T>, timeout = 20_000) {
  return expect.poll(fn, { timeout });
}

const at = (hour: number, minute = 0) => Date.UTC(2026, 11, 24, hour, minute);

/** Who gets what, at 07:30 UTC on 24 December 2026, for "09:00 local, zones past it at once". */
const people = [
  // 16:30 there: past 09:00, sent at once.
  { label: 'tokyo', zone: 'Asia/Tokyo' },
  // 13:15 there (a 45-minute zone): at once.
  { label: 'kathmandu', zone: 'Asia/Katmandu' },
  // 08:30 there: at 09:00 Berlin, 08:00 UTC. Zone set in the window's drawer.
  { label: 'berlin', zone: null },
  // Berlin too, but already sent to an hour ago: the cap of 1 per 24 h skips it.
  { label: 'berlin-capped', zone: 'Europe/Berlin' },
  // No zone: the app's default (UTC), 09:00 UTC.
  { label: 'no-zone', zone: null },
  // 02:30 there: 09:00 New York, 14:00 UTC.
  { label: 'new-york', zone: 'America/New_York' },
  // 21:30 there: past 09:00 but in quiet hours (21:00–08:00), held until 08:00 there, 18:00 UTC.
  { label: 'kiritimati', zone: 'Pacific/Kiritimati' },
] as const;

/** Toasts stay up under a frozen page clock: closed before a screenshot so that they hide nothing. */
async function dismissToasts(page: Page): Promise<void> {
  await eventually(() =>
    page.evaluate(() => {
      const buttons = document.querySelectorAll<HTMLButtonElement>('.mantine-Notification-closeButton');
      buttons.forEach((button) => button.click());
      return buttons.length;
    }),
  ).toBe(0);
}

async function settled(page: Page): Promise<void> {
  await eventually(() =>
    page.evaluate(() => {
      const content = document.querySelector('.mantine-Modal-content');
      return content ? getComputedStyle(content).opacity : null;
    }),
  ).toBe('1');
}

describe('local-time delivery in the window', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('schedules 09:00 in each subscriber zone with quiet hours and a cap, releases zone by zone, and shows who was held or skipped', async () => {
    const service = await startPushService();
    let now = at(6, 30);
    const saved: string[] = [];
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'local-time.db'),
      queryThread: false,
      context: {
        now: () => now,
        chooseSaveFile: ({ defaultName }) => {
          saved.push(path.join(dir, defaultName));
          return Promise.resolve(saved.at(-1)!);
        },
      },
    });
    const { page, ctx } = app;
    const setClock = async (ms: number) => {
      now = ms;
      await page.clock.setFixedTime(ms);
    };
    /** What the app's timer does: start what is due, and wait until those runs end. */
    const releaseDue = async () => {
      const run = runDueCampaigns(ctx, (id) => sendCampaign(ctx, id, { scheduled: true }));
      await Promise.all(run.running);
      return run.started;
    };
    try {
      await setClock(now);
      const shop = createTestApp(ctx, 'shop.example');
      const subs = await Promise.all(
        people.map(() => service.subscribe({ applicationServerKey: shop.publicKey! })),
      );
      const ids = insertSubscriptions(
        ctx.db,
        shop.id,
        subs.map((s, i) => ({ ...s, label: people[i]!.label })),
      );
      const byLabel = new Map(people.map((p, i) => [p.label, { ...p, id: ids[i]!, sub: subs[i]! }]));
      const setZone = ctx.db.prepare('UPDATE subscriptions SET timezone = ? WHERE id = ?');
      for (const p of byLabel.values()) if (p.zone) setZone.run(p.zone, p.id);
      const got = () =>
        [...byLabel.values()]
          .filter((p) => service.messages(p.sub.id).length > 0)
          .map((p) => p.label)
          .sort();

      // An hour earlier, one Berlin subscriber got another campaign (before the app had rules).
      const earlier = createCampaign(ctx, {
        appId: shop.id,
        name: 'Flash sale',
        message: { format: 'notification', notification: { title: 'Flash' } },
        audience: { subscriptionIds: [byLabel.get('berlin-capped')!.id] },
      }).campaign.id;
      await sendCampaign(ctx, earlier);
      expect(got()).toEqual(['berlin-capped']);
      await setClock(at(7, 30));

      // Keys → Delivery rules: quiet hours 21:00–08:00 and at most 1 campaign per 24 hours.
      await page.getByRole('link', { name: /^Keys/ }).click();
      const rules = page.getByRole('region', { name: 'Delivery rules' });
      await rules.getByRole('switch', { name: 'Quiet hours' }).check({ force: true });
      await rules.getByRole('textbox', { name: 'Until' }).fill('07:00');
      await rules.getByText('The end must differ from the start').waitFor({ state: 'detached' });
      await rules.getByRole('textbox', { name: 'Until' }).fill('21:00');
      await rules.getByText('The end must differ from the start').waitFor();
      expect(await rules.getByRole('button', { name: 'Save delivery rules' }).isDisabled()).toBe(true);
      await rules.getByRole('textbox', { name: 'Until' }).fill('08:00');
      await rules.getByRole('textbox', { name: 'Per 24 hours' }).fill('1');
      await rules.getByRole('button', { name: 'Save delivery rules' }).click();
      await page.getByText('Delivery rules saved').waitFor();
      expect(readDeliverySettings(ctx.db, shop.id)).toEqual({
        defaultTimeZone: null,
        quietHours: { start: '21:00', end: '08:00' },
        frequencyCap: { per24h: 1, per7d: null },
        alertsIgnoreQuietHours: true,
      });
      await rules.scrollIntoViewIfNeeded();
      await dismissToasts(page);
      await app.screenshot('local-time-delivery-rules');

      // Subscriptions: the Berlin subscriber's zone, chosen in its drawer by typing part of the name.
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByTestId('subscription-row').filter({ hasText: 'berlin' }).first().waitFor();
      // By keyboard: the row takes focus, Enter opens its drawer; the zone is typed and picked with the arrows.
      await page
        .getByTestId('subscription-row')
        .filter({ hasText: 'berlin' })
        .filter({ hasNotText: 'capped' })
        .first()
        .focus();
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('dialog', { name: 'Subscription' });
      const zoneInput = drawer.getByRole('combobox', { name: 'Time zone' });
      await zoneInput.fill('nonsense/zone');
      await page.getByText(/^No time zone by that name/).waitFor();
      await zoneInput.fill('berl');
      await page.getByRole('option', { name: /Europe\/Berlin/ }).waitFor();
      await zoneInput.press('ArrowDown');
      await zoneInput.press('Enter');
      expect(await zoneInput.inputValue()).toMatch(/^Europe\/Berlin/);
      await drawer.getByRole('button', { name: 'Save zone' }).click();
      await page.getByText('Time zone set to Europe/Berlin').waitFor();
      expect(
        ctx.db
          .prepare('SELECT timezone FROM subscriptions WHERE id = ?')
          .pluck()
          .get(byLabel.get('berlin')!.id),
      ).toBe('Europe/Berlin');
      await page.keyboard.press('Escape');
      // The table filters by zone: the two in Berlin.
      await page.getByRole('combobox', { name: 'Filter by time zone' }).click();
      await page.getByRole('option', { name: /^Europe\/Berlin · 2/ }).click();
      await eventually(() => page.getByTestId('subscription-count').textContent()).toBe(
        '2 subscriptions of 7',
      );
      await page.keyboard.press('Escape');
      await dismissToasts(page);
      await app.screenshot('local-time-subscriptions-filter');

      // The composer's count says whom the cap and quiet hours hold back if it went now.
      await page.getByRole('link', { name: /^Compose/ }).click();
      await eventually(() => page.getByTestId('held-back').textContent()).toBe(
        'Sent now: 1 would be skipped by the frequency cap; 3 are in their quiet hours and would be held until they end.',
      );

      // The campaign: Schedule… → each subscriber's local time, 09:00 on 24 December, past zones at once.
      const id = createCampaign(ctx, {
        appId: shop.id,
        name: 'Christmas Eve',
        message: { format: 'notification', notification: { title: 'Merry Christmas', body: 'Open me' } },
        audience: {},
      }).campaign.id;
      await page.evaluate((hash) => (window.location.hash = hash), `#/campaigns/${id}`);
      await page.getByRole('button', { name: 'Schedule…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Schedule' });
      await dialog.getByText("In each subscriber's zone").click();
      await dialog.getByRole('button', { name: 'Day' }).click();
      await page.getByRole('button', { name: '24 December 2026', exact: true }).click();
      await dialog.getByRole('textbox', { name: 'Local time' }).fill('09:00');
      await dialog.getByRole('radio', { name: 'Send to them at once' }).check();
      expect(await dialog.getByRole('radio', { name: 'Hold them until 08:00' }).isChecked()).toBe(true);
      const plan = dialog.getByTestId('zone-plan');
      await eventually(() => plan.locator('tr[data-zone]').count()).toBe(6);
      expect(await plan.textContent()).toContain('7 recipients in 6 time zones');
      await eventually(() => dialog.getByTestId('last-zone-eta').textContent()).toMatch(
        /The last zone gets it .*6:00:00 PM.*in 10 h 30 min/,
      );
      expect(await plan.locator('tr[data-zone="Pacific/Kiritimati"]').textContent()).toContain(
        '2026-12-25 08:00 (held: quiet hours)',
      );
      expect(await dialog.getByTestId('zone-plan-held-back').textContent()).toContain(
        '1 skipped by the frequency cap. 1 held by quiet hours.',
      );
      await settled(page);
      await app.screenshot('local-time-schedule');
      await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
      await page.getByText("Scheduled for 09:00 in each subscriber's time zone on Thu 24 Dec 2026").waitFor();

      // Tokyo and Kathmandu go at once; the rest wait.
      const zones = page.getByTestId('zone-progress');
      const status = (zone: string) => zones.locator(`tr[data-zone="${zone}"]`).getAttribute('data-status');
      await eventually(() => status('Asia/Tokyo')).toBe('done');
      await eventually(() => status('Asia/Katmandu')).toBe('done');
      expect(await status('Europe/Berlin')).toBe('waiting');
      expect(got()).toEqual(['berlin-capped', 'kathmandu', 'tokyo']);
      await page.getByRole('heading', { name: 'Waiting for the next time zone' }).waitFor();
      await eventually(() => zones.getByTestId('zone-eta').textContent()).toMatch(
        /the last zone .*in 10 h 30 min/,
      );
      await dismissToasts(page);
      await zones.scrollIntoViewIfNeeded();
      await app.screenshot('local-time-zones');

      // Nothing is due before 08:00 UTC.
      await setClock(at(7, 59));
      expect(await releaseDue()).toEqual([]);
      // 08:00: Berlin, one delivered and one skipped by the cap.
      await setClock(at(8, 0));
      expect(await releaseDue()).toEqual([id]);
      await eventually(() => status('Europe/Berlin')).toBe('done');
      expect(got()).toEqual(['berlin', 'berlin-capped', 'kathmandu', 'tokyo']);
      expect(service.messages(byLabel.get('berlin-capped')!.sub.id)).toHaveLength(1);
      // 09:00 UTC, 14:00 UTC (New York), 18:00 UTC (Kiritimati after its quiet hours).
      for (const [hour, zone, label] of [
        [9, 'UTC', 'no-zone'],
        [14, 'America/New_York', 'new-york'],
        [18, 'Pacific/Kiritimati', 'kiritimati'],
      ] as const) {
        await setClock(at(hour - 1, 59));
        expect(await releaseDue()).toEqual([]);
        expect(got()).not.toContain(label);
        await setClock(at(hour));
        expect(await releaseDue()).toEqual([id]);
        await eventually(() => status(zone)).toBe('done');
        expect(got()).toContain(label);
      }
      await eventually(() => page.getByTestId('campaign-state').textContent()).toBe('completed');
      // Everyone got exactly one message: this campaign, or for the capped one the earlier campaign.
      for (const p of byLabel.values()) expect(service.messages(p.sub.id)).toHaveLength(1);

      // Results: who was held or skipped, and why.
      const held = page.getByTestId('held-skipped');
      const row = (key: string) => held.locator(`tr[data-key="${key}"] [data-count]`).textContent();
      expect([await row('frequency cap'), await row('quiet hours'), await row('held')]).toEqual([
        '1',
        '0',
        '1',
      ]);
      expect(await page.getByTestId('count-skipped').textContent()).toBe('1');
      await page.getByRole('tab', { name: 'Skipped (1)' }).click();
      const table = page.getByTestId('deliveries-table');
      await eventually(() => table.locator('tbody tr').count()).toBe(1);
      expect(await table.locator('tbody tr').textContent()).toMatch(
        /berlin-capped.*Europe\/Berlin.*skipped.*frequency cap/,
      );
      await held.scrollIntoViewIfNeeded();
      await dismissToasts(page);
      await app.screenshot('local-time-results');

      // The export lists the skipped one with its reason.
      await page.getByRole('button', { name: 'Export results' }).click();
      await page.getByRole('menuitem', { name: /^CSV/ }).click();
      await eventually(() => saved.length).toBe(1);
      await page.getByText(saved[0]!, { exact: true }).waitFor();
      const csv = fs.readFileSync(saved[0]!, 'utf8').trim().split('\r\n');
      expect(csv).toHaveLength(8);
      const skipped = csv.filter((line) => line.includes(',skipped,'));
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toContain('frequency cap');

      // An import with a tz column: a zone it does not know is said with its row, and the row still comes in.
      const [paris, mars] = await Promise.all(
        [0, 1].map(() => service.subscribe({ applicationServerKey: shop.publicKey! })),
      );
      const csvIn = [
        'endpoint,p256dh,auth,tz',
        ...[paris!, mars!].map((s, i) =>
          [s.endpoint, s.keys.p256dh, s.keys.auth, i === 0 ? 'Europe/Paris' : 'Mars/Olympus_Mons'].join(','),
        ),
      ].join('\n');
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'zones.csv', mimeType: 'text/csv', buffer: Buffer.from(csvIn) });
      const importDialog = page.getByRole('dialog');
      await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
      await importDialog.getByText('Imported zones.csv').waitFor();
      expect(await importDialog.getByTestId('import-inserted').textContent()).toBe('2');
      const note = importDialog.getByTestId('import-time-zones');
      expect(await note.textContent()).toMatch(
        /1 row had a time zone Pushdeck does not know.*Mars\/Olympus_Mons/,
      );
      await app.screenshot('local-time-import-zones');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await service.close();
    }
  });
});
