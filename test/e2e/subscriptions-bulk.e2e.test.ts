// A bulk action on all matching in Chromium against the real handlers and query threads: it starts in the
// background (subscriptions.bulk.start), shows its progress with Stop, and Stop ends it with the chunks it
// committed kept and a message saying how far it got; one that a crash cut short is told at the next start.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BULK_CHUNK } from '../../src/main/core/subscriptions/bulk-actions.ts';
import { countSubscriptions } from '../../src/main/core/subscriptions/list-query.ts';
import { createTestApp } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

const countLine = (page: Page) => page.getByTestId('subscription-count').textContent();

describe('bulk actions on all matching', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('stops tagging all when asked, keeps the chunks committed, and says how far it got', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'bulk-stop.db') });
    const { page, ctx } = app;
    try {
      const big = createTestApp(ctx, 'big.example');
      // Enough chunks that Stop, clicked at the first progress report, arrives before the last one.
      const rows = 10 * BULK_CHUNK;
      ctx.db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
           SELECT ?, 'https://fcm.googleapis.com/fcm/send/stop-' || i, i, 'k', 'a', 'fcm', i, i FROM n`,
        )
        .run(rows, big.id);
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await expect.poll(() => countLine(page), { timeout: 30_000 }).toBe('200,000 subscriptions');

      await page.getByRole('button', { name: 'Select all 200,000' }).click();
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.getByRole('combobox', { name: 'Tags to add' }).fill('promo');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page
        .getByRole('dialog', { name: 'Tag 200,000 subscriptions?' })
        .getByRole('button', { name: 'Add tag' })
        .click();
      await page.getByTestId('bulk-progress').waitFor();
      // Held at a chunk until Stop has been asked, however slow the click: this test's connection (main's)
      // takes the write lock, so the bulk thread waits at its next chunk (busy_timeout 5 s, database.ts);
      // the Stop's record (cancelBulk) is written on this same connection, inside this transaction, and
      // the commit lets both through. Without it, a loaded machine could finish all ten chunks first.
      // Held longer than the 5 s other connections wait (database.ts): the bulk thread waits it out
      // (query-thread.ts BULK_BUSY_TIMEOUT_MS), as it would another writer's long transaction.
      ctx.db.exec('BEGIN IMMEDIATE');
      try {
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        await page.getByTestId('bulk-progress').getByRole('button', { name: 'Stop' }).click();
        await expect
          .poll(
            () => ctx.db.prepare('SELECT count(*) FROM bulk_cancels WHERE app_id = ?').pluck().get(big.id),
            {
              timeout: 3_000,
            },
          )
          .toBe(1);
      } finally {
        ctx.db.exec('COMMIT');
      }

      const stopped = page.getByText(/^Stopped after [\d,]+ of 200,000 subscriptions \(tag\)/);
      await stopped.waitFor({ timeout: 60_000 });
      const done = Number((await stopped.textContent())!.match(/after ([\d,]+)/)![1]!.replace(/,/g, ''));
      // What it says is what was committed: whole chunks, fewer than all.
      expect(done % BULK_CHUNK).toBe(0);
      expect(done).toBeLessThan(rows);
      expect(countSubscriptions(ctx.db, big.id, { tags: ['promo'] })).toBe(done);
      await page.getByText('Could not change the tags').waitFor();
      await expect.poll(() => page.getByTestId('bulk-progress').count()).toBe(0);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('tells, once, of a bulk action an earlier run of Pushdeck left unfinished', async () => {
    const dbPath = path.join(dir, 'bulk-cut.db');
    const app = await openApp(browser(), { dbPath });
    const { page, ctx } = app;
    try {
      const big = createTestApp(ctx, 'cut.example');
      // As a crash leaves it (bulk-runs.ts writes this after each chunk): not updated since before this
      // process started, never ended.
      ctx.db
        .prepare(
          `INSERT INTO bulk_runs (app_id, action, done, total, started_at, updated_at, ended_at)
           VALUES (?, 'tag', 40000, 200000, 1, 1, NULL)`,
        )
        .run(big.id);
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByText('Changing tags did not finish').waitFor();
      await page
        .getByText(
          'Pushdeck closed after 40,000 of 200,000 subscriptions; those keep the change. Run it again to finish the rest.',
        )
        .waitFor();
      expect(
        ctx.db.prepare('SELECT ended_at IS NOT NULL FROM bulk_runs WHERE app_id = ?').pluck().get(big.id),
      ).toBe(1);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
