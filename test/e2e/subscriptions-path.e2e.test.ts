// In the desktop app the preload registers a dropped file's path with main, the window gets a token, and
// main reads the file itself instead of the window sending its text over IPC. Here the page's
// __pushdeckPathForFile answers as the preload's webUtils.getPathForFile would.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSubscriptions } from '../../src/main/core/subscriptions/list-query.ts';
import { createTestApp } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

describe('dropping a file in the desktop app', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('imports from the file on disk when the platform gives its path', async () => {
    const lines = ['endpoint,p256dh,auth'];
    for (let i = 0; i < 40; i++) {
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      lines.push(
        `https://fcm.googleapis.com/fcm/send/disk-${i},${ecdh.getPublicKey('base64url')},${crypto.randomBytes(16).toString('base64url')}`,
      );
    }
    const onDisk = path.join(dir, 'on-disk.csv');
    fs.writeFileSync(onDisk, `${lines.join('\n')}\n`);

    const app = await openApp(browser(), { dbPath: path.join(dir, 'path.db') });
    const { page, ctx } = app;
    try {
      const shop = createTestApp(ctx, 'shop.example');
      await page.getByRole('link', { name: /^Subscriptions/ }).click();
      await page.getByText('No subscribers yet').waitFor();
      await page.evaluate((file) => {
        window.__pushdeckPathForFile = () => file;
      }, onDisk);
      // The dropped File's own content is not a list at all: only the file on disk is.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['not a subscription list'], 'on-disk.csv', { type: 'text/csv' }));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.body.dispatchEvent(
            new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
          );
        }
      });
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Import on-disk.csv').waitFor();
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByText('Imported on-disk.csv').waitFor();
      expect(await dialog.getByTestId('import-inserted').textContent()).toBe('40');
      expect(countSubscriptions(ctx.db, shop.id, {})).toBe(40);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
