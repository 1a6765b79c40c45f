// The subscriptions area in Chromium against the real handler table: drop a file on the window, read the
// summary, filter, tag, delete and restore, export, open a subscription, scroll a long list.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BULK_CHUNK } from '../../src/main/core/subscriptions/bulk-actions.ts';
import { importSubscriptions } from '../../src/main/core/subscriptions/import/service.ts';
import {
  countSubscriptions,
  listPage,
  subscriptionDetail,
} from '../../src/main/core/subscriptions/list-query.ts';
import { createTestApp } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

function keyPair(): { p256dh: string; auth: string } {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: crypto.randomBytes(16).toString('base64url'),
  };
}

function listCsv(rows: number): string {
  const keys = [keyPair(), keyPair(), keyPair()];
  const lines = ['endpoint,p256dh,auth,tags,label,city'];
  for (let i = 0; i < rows; i++) {
    const key = keys[i % 3]!;
    const host =
      i % 2 === 0
        ? 'https://fcm.googleapis.com/fcm/send/'
        : 'https://updates.push.services.mozilla.com/wpush/v2/';
    lines.push(
      `${host}e2e-${i},${key.p256dh},${key.auth},${i % 5 === 0 ? 'vip;news' : 'news'},Reader ${i},${i % 2 ? 'Lyon' : 'Paris'}`,
    );
  }
  const off = Buffer.from(keys[0]!.p256dh, 'base64url');
  off[64] = off[64]! ^ 1;
  lines.push(`https://push.example.com/off-curve,${off.toString('base64url')},${keys[0]!.auth},,,`);
  lines.push(`http://push.example.com/plain-http,${keys[1]!.p256dh},${keys[1]!.auth},,,`);
  return `${lines.join('\r\n')}\r\n`;
}

async function dropFile(page: Page, text: string, name: string, drop = true): Promise<void> {
  await page.evaluate(
    ({ text, name, drop }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      const fire = (type: string) =>
        document.body.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      fire('dragenter');
      fire('dragover');
      if (drop) fire('drop');
    },
    { text, name, drop },
  );
}

/** Lets a modal or drawer finish its opening transition, so that the screenshot shows it whole. */
const settle = (page: Page) => page.waitForTimeout(400);

const countLine = (page: Page) => page.getByTestId('subscription-count').textContent();

describe('subscriptions area', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('imports a dropped file, filters, tags, deletes and restores, exports', async () => {
    // Main's save dialog, answered with a file in the test's folder.
    const asked: string[] = [];
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'subs.db'),
      context: {
        chooseSaveFile: ({ defaultName }) => {
          asked.push(defaultName);
          return Promise.resolve(path.join(dir, 'export.csv'));
        },
      },
    });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'shop.example');
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByText('No subscribers yet').waitFor();
      await app.screenshot('subs-empty');

      // Drag a file over the window: the overlay says where it will go; drop it: the import dialog opens.
      const csv = listCsv(250);
      await dropFile(page, csv, 'readers.csv', false);
      await page.getByTestId('drop-overlay').waitFor();
      await page.getByText('Drop to import into shop.example').waitFor();
      await app.screenshot('subs-drop-overlay');
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['x'], 'x.csv'));
        document.body.dispatchEvent(new DragEvent('dragleave', { dataTransfer: transfer, bubbles: true }));
      });
      await dropFile(page, csv, 'readers.csv');
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Import readers.csv').waitFor();
      await dialog.getByTestId('column-mapping').waitFor();
      await settle(page);
      await app.screenshot('subs-import-setup');
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();

      // The summary: what went in and why two rows did not.
      await dialog.getByText('Imported readers.csv').waitFor();
      expect(await dialog.getByTestId('import-inserted').textContent()).toBe('250');
      expect(await dialog.getByTestId('import-rejected').textContent()).toBe('2');
      await dialog.getByText('the p256dh key is not a point on P-256').waitFor();
      await dialog.getByText(/the endpoint is not https/).waitFor();
      await settle(page);
      await app.screenshot('subs-import-summary');
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => countLine(page)).toBe('250 subscriptions');
      await page.getByTestId('subscription-row').first().waitFor();
      await app.screenshot('subs-list');

      // Filter by tag, then tag everything that matches.
      await page.getByRole('combobox', { name: 'Filter by tag' }).click();
      await page.getByRole('option', { name: 'vip' }).click();
      await page.keyboard.press('Escape');
      await expect.poll(() => countLine(page)).toBe('50 subscriptions of 250');
      await app.screenshot('subs-filter-vip');
      await page.getByRole('button', { name: 'Select all 50' }).click();
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.getByRole('combobox', { name: 'Tags to add' }).fill('promo');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Apply' }).click();
      const confirm = page.getByRole('dialog', { name: 'Tag 50 subscriptions?' });
      await confirm.waitFor();
      await settle(page);
      await app.screenshot('subs-tag-confirm');
      await confirm.getByRole('button', { name: 'Add tag' }).click();
      await expect.poll(() => countSubscriptions(ctx.db, shop.id, { tags: ['promo'] })).toBe(50);

      // Clear the filter; delete two picked rows, undo; delete again and restore from the trash.
      await page.getByRole('combobox', { name: 'Filter by tag' }).click();
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Escape');
      await expect.poll(() => countLine(page)).toBe('250 subscriptions');
      const rows = page.getByTestId('subscription-row');
      await rows.nth(0).getByRole('checkbox').check();
      await rows.nth(1).getByRole('checkbox').check();
      await expect
        .poll(() => page.getByTestId('selection-count').textContent())
        .toBe('2 subscriptions selected');
      await page.getByRole('button', { name: 'Delete' }).click();
      const deleteConfirm = page.getByRole('dialog', { name: 'Move 2 subscriptions to the trash?' });
      await deleteConfirm.waitFor();
      await settle(page);
      await app.screenshot('subs-delete-confirm');
      await deleteConfirm.getByRole('button', { name: 'Move to the trash' }).click();
      await expect.poll(() => countLine(page)).toBe('248 subscriptions');
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => countLine(page)).toBe('250 subscriptions');

      await rows.nth(0).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog', { name: 'Move 1 subscription to the trash?' })
        .getByRole('button', { name: 'Move to the trash' })
        .click();
      await expect.poll(() => countLine(page)).toBe('249 subscriptions');
      await page.getByRole('button', { name: 'Trash (1)' }).click();
      await expect.poll(() => countLine(page)).toBe('1 in the trash');
      await app.screenshot('subs-trash');
      await page.getByRole('button', { name: 'Select all 1' }).click();
      await page.getByRole('button', { name: 'Restore' }).click();
      await page
        .getByRole('dialog', { name: 'Restore 1 subscription?' })
        .getByRole('button', { name: 'Restore' })
        .click();
      await expect.poll(() => countLine(page)).toBe('0 in the trash');
      await page.getByRole('button', { name: 'Trash (0)' }).click();
      await expect.poll(() => countLine(page)).toBe('250 subscriptions');
      expect(countSubscriptions(ctx.db, shop.id, {})).toBe(250);

      // A custom field's value: the readers in Lyon (any case).
      const fieldFilter = page.getByRole('combobox', { name: 'Custom field equals' });
      await fieldFilter.fill('city = lyon');
      await fieldFilter.press('Enter');
      await expect.poll(() => countLine(page)).toBe('125 subscriptions of 250');
      // Backspace in the empty input takes the condition off again.
      await fieldFilter.press('Backspace');
      await expect.poll(() => countLine(page)).toBe('250 subscriptions');

      // A subscription's detail, with its custom field.
      await rows.nth(0).click();
      const drawer = page.getByRole('dialog', { name: 'Subscription' });
      await drawer.getByTestId('detail-fields').getByText('city').waitFor();
      await settle(page);
      await app.screenshot('subs-detail');
      await page.keyboard.press('Escape');

      // Export what the filter shows, as CSV.
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByRole('menuitem', { name: 'CSV' }).click();
      const saved = path.join(dir, 'export.csv');
      await page.getByText(`Exported 250 subscriptions to ${saved}.`).waitFor();
      const lines = fs.readFileSync(saved, 'utf8').trimEnd().split('\n');
      expect(asked).toEqual(['shop.example-subscriptions.csv']);
      expect(lines[0]).toBe(
        'endpoint,p256dh,auth,tags,label,status,created_at,expiration_time,timezone,city',
      );
      expect(lines).toHaveLength(251);
      expect(lines.filter((line) => line.includes('promo'))).toHaveLength(50);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('refuses a file that is not a list with a clear message', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'bad.db') });
    const { page, ctx } = app;
    try {
      createTestApp(ctx, 'bad.example');
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByText('No subscribers yet').waitFor();
      await dropFile(page, '{\n  "endpoint": "https://x"\n}\n', 'one.json');
      await page.getByText(/holds one JSON object, not a list/).waitFor();
      await settle(page);
      await app.screenshot('subs-import-bad-file');
    } finally {
      await app.close();
    }
  });

  it('lets the user map columns it does not recognise before importing', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'mapping.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'mapped.example');
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByText('No subscribers yet').waitFor();
      const key = keyPair();
      const csv = `where,ecdh,secret,plan\nhttps://fcm.googleapis.com/fcm/send/m-1,${key.p256dh},${key.auth},gold\n`;
      await dropFile(page, csv, 'backend-export.csv');
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Map the columns').waitFor();
      const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
      expect(await importButton.isDisabled()).toBe(true);
      for (const [column, target] of [
        ['where', 'Endpoint'],
        ['ecdh', 'p256dh key'],
        ['secret', 'auth secret'],
      ] as const) {
        await dialog.getByRole('combobox', { name: `Import column ${column} as` }).click();
        await page.getByRole('option', { name: target, exact: true }).click();
      }
      await expect.poll(() => dialog.getByText('Map the columns').count()).toBe(0);
      await settle(page);
      await app.screenshot('subs-import-mapping');
      await importButton.click();
      await dialog.getByText('Imported backend-export.csv').waitFor();
      expect(await dialog.getByTestId('import-inserted').textContent()).toBe('1');
      const [row] = listPage(ctx.db, shop.id, {}, 'newest', 0);
      expect(subscriptionDetail(ctx.db, shop.id, row!.id)).toMatchObject({
        endpoint: 'https://fcm.googleapis.com/fcm/send/m-1',
        fields: { plan: 'gold' },
      });
    } finally {
      await app.close();
    }
  });

  it('scrolls to the end of a 20,000-row list, fetching pages as they come into view', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'long.db') });
    const { page, ctx } = app;
    try {
      const long = createTestApp(ctx, 'long.example');
      const file = path.join(dir, 'long.csv');
      fs.writeFileSync(file, listCsv(20_000));
      await importSubscriptions(ctx, { appId: long.id, source: { path: file } });
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await expect.poll(() => countLine(page)).toBe('20,000 subscriptions');
      const scroller = page.getByTestId('subscription-scroller');
      await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
      await page.getByText('Reader 10000', { exact: true }).waitFor();
      await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      // Newest first: the bottom of the list is the first row of the file.
      await page.getByText('Reader 0', { exact: true }).waitFor();
      await app.screenshot('subs-long-list-end');
      // A search finding more than 10,000 says so at once, then gives the exact number.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { countSeen: string[] }).countSeen = seen;
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="subscription-count"]')?.textContent ?? '';
          if (text !== seen.at(-1)) seen.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole('textbox', { name: 'Search people' }).fill('Reader');
      const seenSoFar = () => page.evaluate(() => (window as unknown as { countSeen: string[] }).countSeen);
      const capped = '10,000+ subscriptions of 20,000';
      // The capped count shows first, then the exact one (the whole list: no "of").
      await expect
        .poll(
          async () => {
            const seen = await seenSoFar();
            return seen.includes(capped) ? seen.slice(seen.indexOf(capped)).at(-1) : null;
          },
          { timeout: 15_000 },
        )
        .toBe('20,000 subscriptions');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('shows the progress of a bulk action over more than one chunk: delete all, then empty the trash', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'bulk.db') });
    const { page, ctx } = app;
    try {
      const big = createTestApp(ctx, 'big.example');
      const rows = 2 * BULK_CHUNK + 7;
      const insert = ctx.db.prepare(
        `INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
         VALUES (?, ?, ?, 'k', 'a', 'fcm', 1, 1)`,
      );
      ctx.db.transaction(() => {
        for (let i = 0; i < rows; i++) insert.run(big.id, `https://fcm.googleapis.com/fcm/send/bulk-${i}`, i);
      })();
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await expect.poll(() => countLine(page)).toBe('40,007 subscriptions');
      // Every state of the progress notification, however briefly it shows.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { bulkSeen: string[] }).bulkSeen = seen;
        let showing: string | null = null;
        new MutationObserver(() => {
          // The count's line (the notification also holds a Stop button).
          const text = document.querySelector('[data-testid="bulk-progress"] p')?.textContent ?? null;
          if (text && text !== showing) seen.push(text);
          const stop = document.querySelector('[data-testid="bulk-progress"] button')?.textContent;
          if (stop) seen.push(`button: ${stop}`);
          showing = text;
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      const seen = () => page.evaluate(() => (window as unknown as { bulkSeen: string[] }).bulkSeen);

      await page.getByRole('button', { name: 'Select all 40,007' }).click();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog', { name: 'Move 40,007 subscriptions to the trash?' })
        .getByRole('button', { name: 'Move to the trash' })
        .click();
      await page.getByText('Moved 40,007 subscriptions to the trash').waitFor();
      // After the first chunk and, unless it came within 100 ms of that, the second; never the last.
      const shown = await seen();
      // The notification offers Stop while the action runs (subscriptions.bulk.cancel).
      expect(shown).toContain('button: Stop');
      const deleting = shown.filter((text) => !text.startsWith('button: '));
      expect(deleting[0]).toBe('20,000 of 40,007 subscriptions');
      expect(deleting.slice(1)).toEqual(deleting.length > 1 ? ['40,000 of 40,007 subscriptions'] : []);
      await expect.poll(() => page.getByTestId('bulk-progress').count()).toBe(0);

      await page.getByRole('button', { name: 'Trash (40,007)' }).click();
      await page.getByRole('button', { name: 'Empty trash' }).click();
      await page
        .getByRole('dialog', { name: 'Delete 40,007 subscriptions for good?' })
        .getByRole('button', { name: 'Empty the trash' })
        .click();
      await page.getByText('Deleted 40,007 subscriptions for good.').waitFor();
      expect((await seen()).slice(shown.length).filter((text) => !text.startsWith('button: '))[0]).toBe(
        '20,000 of 40,007 subscriptions',
      );
      await expect.poll(() => countLine(page)).toBe('0 in the trash');
      expect(countSubscriptions(ctx.db, big.id, { deleted: true })).toBe(0);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
