// Settings in a real browser over the real handlers: the doctor report, and the sending settings saved to
// the database (a bad proxy is refused with the reason, a good one kept across a reload).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSendingSettings } from '../../src/main/core/settings/sending-settings.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

describe('settings', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('saves the proxy and timeout that sends use, and refuses a proxy that is not http(s)', async () => {
    const app = await openApp(browser(), { dbPath: path.join(dir, 'settings.db') });
    const { page, ctx } = app;
    try {
      await page.getByRole('link', { name: /^Settings/ }).click();
      const sending = page.getByRole('region', { name: 'Sending' });
      const proxy = sending.getByRole('textbox', { name: 'Proxy' });
      await proxy.fill('socks5://127.0.0.1:1080');
      await sending.getByRole('button', { name: 'Save' }).click();
      await sending.getByText('The proxy must be an http:// or https:// URL.').waitFor();
      expect(readSendingSettings(ctx.db).proxyUrl).toBeNull();

      await proxy.fill('http://proxy.example:3128');
      await sending.getByRole('textbox', { name: 'Request timeout' }).fill('12');
      await sending.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Sending settings saved').waitFor();
      expect(readSendingSettings(ctx.db)).toEqual({
        proxyUrl: 'http://proxy.example:3128/',
        timeoutSeconds: 12,
      });
      await app.screenshot('settings-sending');

      await page.reload();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Proxy' }).inputValue())
        .toBe('http://proxy.example:3128/');
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
