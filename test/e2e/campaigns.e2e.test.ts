// Running and reviewing campaigns in a real browser against the real handler table, a real SQLite file and
// the local push service: send to a mixed audience and read the results, retry the failed ones, export;
// pause and resume; schedule a few seconds ahead; resume a campaign whose sender was killed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppSummary } from '../../src/shared/apps.ts';
import { sendCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { startDueRunner } from '../../src/main/core/schedule/due-runner.ts';
import {
  startPushService,
  type Behaviour,
  type LocalSubscription,
  type PushService,
} from '../support/push-service/server.ts';
import { insertSubscriptions } from '../support/push-service/subscribers.ts';
import { cliEntry } from '../support/cli.ts';
import { createTestApp, createTestCampaign } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

/** expect.poll with room for a loaded machine: sends start worker threads, which take a moment. */
function eventually<T>(fn: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(fn, { timeout });
}

const E2E_PASSPHRASE = 'e2e passphrase';

interface Audience {
  behaviour: Behaviour;
  service: string;
  count?: number;
}

async function subscribeAll(
  ctx: CoreContext,
  app: AppSummary,
  service: PushService,
  audience: Audience[],
): Promise<Array<LocalSubscription & { behaviour: Behaviour }>> {
  const subs: Array<LocalSubscription & { behaviour: Behaviour; pushService: string }> = [];
  for (const group of audience) {
    for (let i = 0; i < (group.count ?? 1); i++) {
      const sub = await service.subscribe({
        applicationServerKey: app.publicKey!,
        behaviour: group.behaviour,
      });
      subs.push({ ...sub, behaviour: group.behaviour, pushService: group.service });
    }
  }
  insertSubscriptions(ctx.db, app.id, subs);
  return subs;
}

function draft(
  ctx: CoreContext,
  app: AppSummary,
  name: string,
  options: Record<string, number> = {},
): number {
  return createTestCampaign(ctx, {
    appId: app.id,
    name,
    message: {
      format: 'notification',
      notification: { title: `${name}!`, body: 'Everything must go', url: '/sale' },
    },
    audience: {},
    options: {
      concurrency: 2,
      perOriginConcurrency: 2,
      maxAttempts: 2,
      retryBaseMs: 50,
      timeoutMs: 5000,
      ...options,
    },
  }).campaign.id;
}

/** Messages the push service received per subscription: nobody may appear twice. */
function perSubscriber(service: PushService, subs: LocalSubscription[]): Map<string, number> {
  const ids = new Set(subs.map((s) => s.id));
  const counts = new Map<string, number>();
  for (const m of service.messages()) {
    if (ids.has(m.subscriptionId)) counts.set(m.subscriptionId, (counts.get(m.subscriptionId) ?? 0) + 1);
  }
  return counts;
}

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent();
const stateBadge = (page: Page) => page.getByTestId('campaign-state');

/** Modals fade in and out: wait until the dialog is fully shown (or gone) before a screenshot. */
async function dialogSettled(page: Page, shown: boolean): Promise<void> {
  await eventually(() =>
    page.evaluate(() => {
      const content = document.querySelector('.mantine-Modal-content');
      return content ? getComputedStyle(content).opacity : null;
    }),
  ).toBe(shown ? '1' : null);
}

async function openCampaign(page: Page, id: number): Promise<void> {
  await page.evaluate((hash) => (window.location.hash = hash), `#/campaigns/${id}`);
  await page
    .getByRole('link', { name: 'All campaigns' })
    .or(page.getByText('All campaigns'))
    .first()
    .waitFor();
}

describe('running and reviewing campaigns', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('sends to a mixed audience, shows live progress and the results per class and service, retries the failed, exports', async () => {
    const service = await startPushService({ delayMs: 120, retryAfterSeconds: 1 });
    // The save dialog, answered: main writes the export where the user chose.
    const saved: string[] = [];
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'mixed.db'),
      context: {
        chooseSaveFile: ({ defaultName }) => {
          saved.push(path.join(dir, defaultName));
          return Promise.resolve(saved.at(-1)!);
        },
      },
    });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'shop.example');
      const subs = await subscribeAll(ctx, shop, service, [
        { behaviour: 'ok', service: 'fcm', count: 26 },
        { behaviour: '500-then-201', service: 'fcm' },
        { behaviour: 'always-500', service: 'fcm' },
        { behaviour: 'ok', service: 'mozilla' },
        { behaviour: '410', service: 'mozilla' },
        { behaviour: '429-then-201', service: 'apple' },
        { behaviour: '413', service: 'apple' },
      ]);
      const id = draft(ctx, shop, 'Spring sale');

      // History → the draft → send now, after a confirmation that states audience, app and options.
      await page.getByRole('link', { name: /^Campaigns/ }).click();
      await page.getByRole('table', { name: 'Campaign history' }).getByText('Spring sale').click();
      await page.getByRole('button', { name: 'Send now…' }).click();
      const confirmation = page.getByTestId('send-confirmation');
      await confirmation.waitFor();
      expect(await confirmation.textContent()).toMatch(
        /to 32 subscribers of shop\.example.*TTL 1 d · urgency normal · topic none/,
      );
      await dialogSettled(page, true);
      await app.screenshot('campaigns-send-confirmation');
      await page.getByRole('button', { name: 'Send to 32' }).click();

      // Live progress, then the end.
      await page.getByRole('heading', { name: 'Sending…' }).waitFor();
      await eventually(async () => Number(await text(page, 'count-delivered')), 20_000).toBeGreaterThan(0);
      await app.screenshot('campaigns-progress');
      await eventually(() => stateBadge(page).textContent(), 60_000).toBe('completed');

      expect(await text(page, 'count-recipients')).toBe('32');
      expect(await text(page, 'count-delivered')).toBe('29');
      expect(await text(page, 'count-expired')).toBe('1');
      expect(await text(page, 'count-failed')).toBe('2');
      const service$ = (key: string, col: string) =>
        page.getByTestId('by-service').locator(`tr[data-key="${key}"] td[data-col="${col}"]`).textContent();
      expect([await service$('fcm', 'delivered'), await service$('fcm', 'failed')]).toEqual(['27', '1']);
      expect([await service$('mozilla', 'delivered'), await service$('mozilla', 'expired')]).toEqual([
        '1',
        '1',
      ]);
      expect([await service$('apple', 'delivered'), await service$('apple', 'failed')]).toEqual(['1', '1']);
      const status$ = (code: string) =>
        page.getByTestId('by-status').locator(`tr[data-key="${code}"] [data-count]`).textContent();
      expect([
        await status$('201'),
        await status$('410'),
        await status$('500'),
        await status$('413'),
      ]).toEqual(['29', '1', '1', '1']);
      // The failures table: the service's reason and its body excerpt.
      const failures = page.getByTestId('deliveries-table');
      await eventually(() => failures.locator('tbody tr').count()).toBe(2);
      expect(await failures.textContent()).toMatch(/413/);
      await app.screenshot('campaigns-results');
      await failures.scrollIntoViewIfNeeded();
      await app.screenshot('campaigns-results-failures');
      await page.getByRole('tab', { name: /Expired subscriptions \(1\)/ }).click();
      await eventually(() => page.getByTestId('deliveries-table').locator('tbody tr').count()).toBe(1);

      // Retry failed only: the service now accepts the one that answered 500 every time.
      const flaky = subs.find((s) => s.behaviour === 'always-500')!;
      service.setBehaviour(flaky.id, 'ok');
      await page.getByRole('button', { name: 'Retry failed only' }).click();
      await page.getByRole('button', { name: 'Retry 2' }).click();
      await eventually(() => text(page, 'count-delivered'), 60_000).toBe('30');
      await eventually(() => stateBadge(page).textContent(), 60_000).toBe('completed');
      expect(await text(page, 'count-failed')).toBe('1');

      // Nobody received the campaign twice (the retried ones got exactly one message that arrived).
      const counts = perSubscriber(service, subs);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(counts.size).toBe(30);

      // Export results as CSV and as JSON.
      const download = async (label: RegExp) => {
        const before = saved.length;
        await page.getByRole('button', { name: 'Export results' }).click();
        await page.getByRole('menuitem', { name: label }).click();
        await eventually(() => saved.length).toBe(before + 1);
        await page.getByText(saved.at(-1)!, { exact: true }).waitFor();
        return fs.readFileSync(saved.at(-1)!, 'utf8');
      };
      const csv = (await download(/^CSV/)).trim().split('\r\n');
      expect(csv[0]).toBe(
        'subscriptionId,endpoint,pushService,label,state,outcome,httpStatus,reason,bodyExcerpt,attempts,latencyMs,updatedAt,timeZone,releaseAt',
      );
      expect(csv).toHaveLength(33);
      expect(csv.filter((line) => line.includes(',sent,')).length).toBe(30);
      const json = JSON.parse(await download(/^JSON/)) as {
        campaign: { id: number; totals: { delivered: number } };
        deliveries: unknown[];
      };
      expect(json.campaign).toMatchObject({ id, totals: { delivered: 30 } });
      expect(json.deliveries).toHaveLength(32);
      expect(JSON.stringify(json)).not.toContain('Everything must go');

      // The audit view lists the sends.
      await page.keyboard.press('Control+6');
      await page.getByRole('table', { name: 'Audit log' }).getByText('campaign.send').first().waitFor();
      await app.screenshot('campaigns-audit');
      expect(app.pageErrors).toEqual([]);

      // The same results in the dark theme.
      const dark = await openApp(browser(), { dbPath: path.join(dir, 'mixed.db'), colorScheme: 'dark' });
      try {
        await openCampaign(dark.page, id);
        await eventually(() => stateBadge(dark.page).textContent()).toBe('completed');
        await dark.page.getByTestId('by-status').waitFor();
        await dark.screenshot('campaigns-results-dark');
        expect(dark.pageErrors).toEqual([]);
      } finally {
        await dark.close();
      }
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('pauses and resumes a campaign, sending nobody twice', async () => {
    const service = await startPushService({ delayMs: 150 });
    const app = await openApp(browser(), { dbPath: path.join(dir, 'pause.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'pause.example');
      const subs = await subscribeAll(ctx, shop, service, [{ behaviour: 'ok', service: 'fcm', count: 40 }]);
      const id = draft(ctx, shop, 'Long one');
      await openCampaign(page, id);
      await page.getByRole('button', { name: 'Send now…' }).click();
      await page.getByRole('button', { name: 'Send to 40' }).click();
      await eventually(
        async () => Number(await text(page, 'count-delivered')),
        20_000,
      ).toBeGreaterThanOrEqual(4);
      await page.getByRole('button', { name: 'Pause' }).click();
      await eventually(() => stateBadge(page).textContent(), 30_000).toBe('paused');
      const pausedAt = Number(await text(page, 'count-delivered'));
      expect(pausedAt).toBeLessThan(40);
      await app.screenshot('campaigns-paused');

      await page.getByRole('button', { name: 'Resume' }).click();
      await eventually(() => stateBadge(page).textContent(), 60_000).toBe('completed');
      const delivered = Number(await text(page, 'count-delivered'));
      const counts = perSubscriber(service, subs);
      // Requests in flight at the pause finish within the grace time; any that could not are "uncertain".
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(counts.size).toBeGreaterThanOrEqual(delivered);
      expect(delivered).toBeGreaterThan(pausedAt);
      expect(delivered + Number(await text(page, 'count-failed'))).toBeLessThanOrEqual(40);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('cancels a campaign mid-send after a confirmation; the rest are never sent', async () => {
    const service = await startPushService({ delayMs: 150 });
    const app = await openApp(browser(), { dbPath: path.join(dir, 'cancel.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'cancel.example');
      const subs = await subscribeAll(ctx, shop, service, [{ behaviour: 'ok', service: 'fcm', count: 40 }]);
      const id = draft(ctx, shop, 'Oops');
      await openCampaign(page, id);
      await page.getByRole('button', { name: 'Send now…' }).click();
      await page.getByRole('button', { name: 'Send to 40' }).click();
      await eventually(async () => Number(await text(page, 'count-delivered'))).toBeGreaterThanOrEqual(2);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel campaign' }).click();
      await eventually(() => stateBadge(page).textContent(), 30_000).toBe('cancelled');
      const delivered = Number(await text(page, 'count-delivered'));
      expect(delivered).toBeLessThan(40);
      await app.screenshot('campaigns-cancelled');
      // Nothing more goes out after the cancel has settled.
      const sent = perSubscriber(service, subs).size;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(perSubscriber(service, subs).size).toBe(sent);
      expect(sent).toBeLessThan(40);
      expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('schedules a campaign a few seconds ahead, in local time, and the runner starts it', async () => {
    const service = await startPushService();
    const app = await openApp(browser(), { dbPath: path.join(dir, 'schedule.db') });
    const { page, ctx } = app;
    // What src/main/index.ts runs while the app is open.
    const runner = startDueRunner(ctx, (campaignId) => sendCampaign(ctx, campaignId, { scheduled: true }), {
      intervalMs: 500,
    });
    try {
      const shop = createTestApp(ctx, 'later.example');
      const subs = await subscribeAll(ctx, shop, service, [
        { behaviour: 'ok', service: 'mozilla', count: 3 },
      ]);
      const id = draft(ctx, shop, 'Morning news');
      await openCampaign(page, id);
      // Keep the typed time on today, even seconds before midnight.
      const midnight = new Date().setHours(24, 0, 0, 0);
      if (midnight - Date.now() < 20_000) await page.waitForTimeout(midnight - Date.now() + 1_000);
      await page.getByRole('button', { name: 'Schedule…' }).click();
      const at = new Date(Date.now() + 6_000);
      // The form's day defaults to that of the next whole hour (ScheduleForm.tsx): in the day's last hour that
      // is tomorrow, so today is picked in the calendar, whose day buttons are labelled "D MMMM YYYY".
      if (new Date(Date.now() + 3_600_000).getDate() !== at.getDate()) {
        await page.getByLabel('Day').click();
        const month = at.toLocaleString('en', { month: 'long' });
        await page
          .getByRole('button', { name: `${at.getDate()} ${month} ${at.getFullYear()}`, exact: true })
          .click();
      }
      const pad = (n: number) => String(n).padStart(2, '0');
      // The browser runs in this machine's zone: the local wall-clock time is what a user types.
      await page
        .getByLabel('Time')
        .fill(`${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`);
      await page.getByRole('button', { name: 'Schedule', exact: true }).click();
      await eventually(() => stateBadge(page).textContent()).toBe('scheduled');
      await page.getByTestId('scheduled-at').waitFor();
      await dialogSettled(page, false);
      const stored = ctx.db
        .prepare('SELECT scheduled_at FROM campaigns WHERE id = ?')
        .pluck()
        .get(id) as number;
      expect(Math.abs(stored - at.getTime())).toBeLessThan(1000);
      await app.screenshot('campaigns-scheduled');
      expect(service.messages()).toHaveLength(0);

      await page.getByText('Scheduled campaign started').waitFor({ timeout: 30_000 });
      await eventually(() => stateBadge(page).textContent(), 30_000).toBe('completed');
      expect(perSubscriber(service, subs).size).toBe(3);
      const startedAt = ctx.db
        .prepare('SELECT started_at FROM campaigns WHERE id = ?')
        .pluck()
        .get(id) as number;
      expect(startedAt).toBeGreaterThanOrEqual(stored);
      expect(app.pageErrors).toEqual([]);
    } finally {
      runner.stop();
      await app.close();
      await service.close();
    }
  });

  it('shows a campaign whose sender was killed as interrupted, and resumes it without duplicates', async () => {
    const service = await startPushService({ delayMs: 200 });
    const dbPath = path.join(dir, 'killed.db');
    const app = await openApp(browser(), { dbPath });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'crash.example');
      const subs = await subscribeAll(ctx, shop, service, [{ behaviour: 'ok', service: 'fcm', count: 30 }]);
      // The CLI sends; kill -9 it mid-send.
      const child = spawn(
        process.execPath,
        [
          cliEntry,
          'send',
          '--app',
          'crash.example',
          '--all',
          '--title',
          'Flash sale',
          '--concurrency',
          '2',
          '--name',
          'Flash sale',
        ],
        {
          env: { ...process.env, PUSHDECK_DB: dbPath, PUSHDECK_PASSPHRASE: E2E_PASSPHRASE },
          stdio: 'ignore',
        },
      );
      await eventually(() => service.messages().length, 30_000).toBeGreaterThanOrEqual(4);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const before = service.messages().length;

      await page.reload();
      await page.getByRole('link', { name: /^Campaigns/ }).click();
      const alert = page.getByTestId('interrupted-alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/Flash sale/);
      await app.screenshot('campaigns-interrupted');
      await alert.getByRole('button', { name: 'Open' }).click();
      await eventually(() => stateBadge(page).textContent()).toBe('interrupted');
      await page.getByRole('button', { name: 'Resume' }).click();
      await eventually(() => stateBadge(page).textContent(), 60_000).toBe('completed');

      const counts = perSubscriber(service, subs);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const delivered = Number(await text(page, 'count-delivered'));
      expect(delivered).toBeGreaterThan(before);
      // Everyone was sent to once, except the uncertain ones (on the wire at the kill), never re-sent.
      const uncertain = ctx.db
        .prepare("SELECT COUNT(*) FROM deliveries WHERE state = 'uncertain'")
        .pluck()
        .get() as number;
      expect(delivered + uncertain).toBe(30);
      expect(counts.size).toBeGreaterThanOrEqual(delivered);
      expect(counts.size).toBeLessThanOrEqual(30);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
      await service.close();
    }
  });
});
