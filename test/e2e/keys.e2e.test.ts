// Keys in a real browser against the real handler table: create an app, copy its public key, import a
// .env pair by dropping it and a JSON pair by pasting, rotate with the orphan warning, export the private key.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { findApp, signingKey } from '../../src/main/core/apps/apps.ts';
import { desktopSealer } from '../../src/main/core/keys/desktop-sealer.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { memoryKeychain } from '../main/core/keys/memory-keychain.ts';
import { testContext } from '../support/context.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openApp, useChromium } from './harness.ts';

/** Waits until the dialog around `inner` has finished its open transition, so a screenshot shows it. */
async function settled(inner: Locator): Promise<void> {
  await expect
    .poll(() =>
      inner.evaluate((element) => {
        const dialog = element.closest('[role="dialog"]') ?? element;
        return getComputedStyle(dialog).opacity;
      }),
    )
    .toBe('1');
}

describe('keys', () => {
  const browser = useChromium();
  const dir = tempDir();

  it('creates an app, copies its key, imports pairs, rotates with the warning and exports', async () => {
    const exportsDir = path.join(dir, 'exports');
    fs.mkdirSync(exportsDir);
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'keys.db'),
      context: { chooseSaveFile: async ({ defaultName }) => path.join(exportsDir, defaultName) },
    });
    const { page, ctx } = app;
    try {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(page.url()).origin,
      });
      await page.getByRole('link', { name: /^Keys/ }).click();
      await page.getByText('No apps yet').waitFor();
      await page.getByTestId('protection-badge').getByText('Passphrase').waitFor();
      await app.screenshot('keys-empty');

      // Create, with the subject checked as it is typed.
      await page.getByRole('button', { name: 'Create an app' }).click();
      const dialog = page.getByRole('dialog', { name: 'New app' });
      await dialog.getByLabel('Name').fill('shop.example');
      await dialog.getByLabel('VAPID subject').fill('Ops <ops@shop.example>');
      await dialog.getByText('must not contain spaces or angle brackets').waitFor();
      await settled(dialog.getByText('must not contain spaces or angle brackets'));
      await app.screenshot('keys-create-invalid-subject');
      await dialog.getByLabel('VAPID subject').fill('mailto:ops@shop.example');
      await expect.poll(() => dialog.getByText('must not contain').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Create app' }).click();
      await dialog.waitFor({ state: 'detached' });
      const created = findApp(ctx, 'shop.example')!;
      expect(created.protection).toBe('passphrase');
      const keyBox = page.getByLabel('Public key (applicationServerKey)');
      await expect.poll(() => keyBox.inputValue()).toBe(created.publicKey);
      await expect
        .poll(() => page.getByTestId('subscribe-snippet').textContent())
        .toContain(created.publicKey);
      await expect.poll(() => page.getByLabel('Current app').inputValue()).toBe('shop.example');
      await app.screenshot('keys-created');

      await page.getByRole('button', { name: 'Copy public key' }).click();
      await page.getByText('Public key copied to the clipboard.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.publicKey);

      // Import a .env pair by dropping the file.
      const dropped = webpush.generateVAPIDKeys();
      const envText = `# from the website\nVAPID_PUBLIC_KEY=${dropped.publicKey}\nVAPID_PRIVATE_KEY=${dropped.privateKey}\nVAPID_SUBJECT=mailto:push@blog.example\n`;
      await page.getByRole('button', { name: 'Import key pair' }).click();
      const importDialog = page.getByRole('dialog', { name: 'Import a key pair' });
      await importDialog.getByRole('combobox', { name: 'App' }).fill('blog.example');
      const dataTransfer = await page.evaluateHandle((text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], 'vapid.env', { type: 'text/plain' }));
        return transfer;
      }, envText);
      await page.getByTestId('key-dropzone').dispatchEvent('dragenter', { dataTransfer });
      await page.getByTestId('key-dropzone').dispatchEvent('drop', { dataTransfer });
      await importDialog.getByTestId('loaded-key-file').getByText('vapid.env').waitFor();
      await app.screenshot('keys-import-dropped');
      await importDialog.getByRole('button', { name: 'Import' }).click();
      await importDialog.waitFor({ state: 'detached' });
      const blog = findApp(ctx, 'blog.example')!;
      expect(blog).toMatchObject({ publicKey: dropped.publicKey, subject: 'mailto:push@blog.example' });
      expect(signingKey(ctx, blog.keyId!).privateKey.toString('base64url')).toBe(dropped.privateKey);
      await expect.poll(() => page.getByLabel('Current app').inputValue()).toBe('blog.example');

      // Import a pair by pasting web-push's JSON.
      const pasted = webpush.generateVAPIDKeys();
      await page.getByRole('button', { name: 'Import key pair' }).click();
      await importDialog.getByRole('combobox', { name: 'App' }).fill('pasted.example');
      await importDialog.getByLabel('Or paste').fill(JSON.stringify(pasted));
      await importDialog.getByLabel('VAPID subject').fill('https://pasted.example');
      await importDialog.getByRole('button', { name: 'Import' }).click();
      await importDialog.waitFor({ state: 'detached' });
      expect(findApp(ctx, 'pasted.example')?.publicKey).toBe(pasted.publicKey);
      await page
        .getByRole('table', { name: 'Apps' })
        .getByRole('button', { name: 'pasted.example' })
        .waitFor();

      // Rotate shop.example, which has three active subscribers on its current key.
      const insert = ctx.db.prepare(
        `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'p', 'a', 'other', 0, 0)`,
      );
      for (let i = 0; i < 3; i++) insert.run(created.id, created.keyId, `https://push.example/${i}`, i);
      await page.getByRole('table', { name: 'Apps' }).getByRole('button', { name: 'shop.example' }).click();
      await expect.poll(() => keyBox.inputValue()).toBe(created.publicKey);
      await page.getByRole('button', { name: 'Rotate key…' }).click();
      const warning = page.getByTestId('rotate-warning');
      await warning.getByText('This orphans 3 active subscriptions.').waitFor();
      await settled(warning);
      await app.screenshot('keys-rotate-warning');
      await page.getByRole('button', { name: 'Rotate and orphan 3' }).click();
      await page.getByText('Rotated the key of shop.example').waitFor();
      const rotated = findApp(ctx, 'shop.example')!;
      expect(rotated.publicKey).not.toBe(created.publicKey);
      expect(rotated.retiredKeys).toBe(1);
      expect(signingKey(ctx, created.keyId!).publicKey).toBe(created.publicKey);
      await expect.poll(() => keyBox.inputValue()).toBe(rotated.publicKey);
      await app.screenshot('keys-rotated');

      // Export the private key: only after ticking the confirmation; main writes the file.
      await page.getByRole('button', { name: 'Export private key…' }).click();
      const exportDialog = page.getByRole('dialog', { name: 'Export the private key of shop.example' });
      const save = exportDialog.getByRole('button', { name: 'Save private key…' });
      expect(await save.isDisabled()).toBe(true);
      await exportDialog.getByRole('checkbox').check();
      await settled(save);
      await app.screenshot('keys-export-confirm');
      await save.click();
      await page.getByText('Private key saved').waitFor();
      const file = path.join(exportsDir, 'shop.example-vapid.env');
      const privateKey = signingKey(ctx, rotated.keyId!).privateKey.toString('base64url');
      expect(fs.readFileSync(file, 'utf8')).toContain(`VAPID_PRIVATE_KEY=${privateKey}`);
      // The page itself never saw it.
      expect(await page.content()).not.toContain(privateKey);

      // The navbar switcher changes the current app everywhere, and the choice survives a reload.
      const switcher = page.getByLabel('Current app');
      await switcher.click();
      await page.getByRole('option', { name: 'blog.example' }).click();
      await expect.poll(() => keyBox.inputValue()).toBe(dropped.publicKey);
      await page.reload();
      await expect.poll(() => page.getByLabel('Current app').inputValue()).toBe('blog.example');
      await expect.poll(() => keyBox.inputValue()).toBe(dropped.publicKey);

      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('shows keys sealed by a plaintext keychain as unprotected, and switches to a passphrase', async () => {
    // The keychain is the in-memory stand-in for Electron safeStorage, reporting Linux's basic_text backend.
    const app = await openApp(browser(), {
      dbPath: path.join(dir, 'protection.db'),
      context: { keySealer: desktopSealer(memoryKeychain('basic_text')) },
    });
    const { page, ctx } = app;
    try {
      await page.getByRole('link', { name: /^Keys/ }).click();
      await page.getByRole('button', { name: 'Create an app' }).click();
      const dialog = page.getByRole('dialog', { name: 'New app' });
      await dialog.getByLabel('Name').fill('linux.example');
      await dialog.getByLabel('VAPID subject').fill('https://linux.example');
      await dialog.getByRole('button', { name: 'Create app' }).click();
      await dialog.waitFor({ state: 'detached' });
      const panel = page.getByTestId('protection-panel');
      await panel
        .getByText(/basic_text\): keys sealed this way are effectively stored in plaintext/)
        .waitFor();
      await panel.getByText(/1 stored private key is NOT protected/).waitFor();
      await expect.poll(() => page.getByTestId('unprotected-badge').count()).toBe(2);
      await app.screenshot('keys-protection-basic-text');

      await panel.getByLabel('Passphrase (app and CLI)').check();
      await panel.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
      await panel.getByLabel('Repeat it').fill('a long passphrase');
      await panel.getByRole('button', { name: 'Switch and re-seal stored keys' }).click();
      await page.getByText(/1 stored key re-sealed/).waitFor();
      await expect.poll(() => page.getByTestId('unprotected-badge').count()).toBe(0);
      await expect.poll(() => panel.getByTestId('protection-badge').textContent()).toBe('Passphrase');
      expect(findApp(ctx, 'linux.example')).toMatchObject({
        protection: 'passphrase',
        protectedAtRest: true,
      });
      await app.screenshot('keys-protection-passphrase');

      // Change the passphrase: a wrong current one changes nothing; the right one re-seals the key.
      await panel.getByRole('button', { name: 'Change passphrase…' }).click();
      const form = panel.getByRole('form', { name: 'Change the passphrase' });
      await form.getByLabel('Current passphrase').fill('not the passphrase');
      await form.getByLabel('New passphrase').fill('a newer passphrase');
      await form.getByLabel('Repeat the new one').fill('a newer one');
      await form.getByText('The two do not match.').waitFor();
      const submit = form.getByRole('button', { name: 'Change passphrase and re-seal keys' });
      expect(await submit.isDisabled()).toBe(true);
      await form.getByLabel('Repeat the new one').fill('a newer passphrase');
      await submit.click();
      await form.getByText(/does not open the stored keys: nothing was changed/).waitFor();
      await expect.poll(() => submit.getAttribute('data-loading')).toBeNull();
      await app.screenshot('keys-passphrase-change-wrong');
      await form.getByLabel('Current passphrase').fill('a long passphrase');
      await submit.click();
      await page.getByText(/Passphrase changed; 1 stored key re-sealed/).waitFor();
      await form.waitFor({ state: 'detached' });
      const keyId = findApp(ctx, 'linux.example')!.keyId!;
      const cli = testContext({ dbPath: ctx.dbPath, keySealer: passphraseSealer('a newer passphrase') });
      expect(signingKey(cli, keyId).publicKey).toBe(findApp(ctx, 'linux.example')!.publicKey);
      cli.db.close();

      // Change the subject (checked as it is typed), then delete the app by typing its name.
      await page.getByRole('button', { name: 'Change the subject' }).click();
      const subjectDialog = page.getByRole('dialog', { name: 'Subject of linux.example' });
      await subjectDialog.getByLabel('VAPID subject').fill('mailto:me@example.invalid');
      await subjectDialog.getByText('must not use a .invalid domain').waitFor();
      expect(await subjectDialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await subjectDialog.getByLabel('VAPID subject').fill('mailto:push@linux.example');
      await subjectDialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Subject: mailto:push@linux.example').waitFor();
      expect(findApp(ctx, 'linux.example')?.subject).toBe('mailto:push@linux.example');

      await page.getByRole('button', { name: 'Delete app' }).click();
      const deleteDialog = page.getByRole('dialog', { name: 'Delete linux.example?' });
      const confirmDelete = deleteDialog.getByRole('button', { name: 'Delete app' });
      expect(await confirmDelete.isDisabled()).toBe(true);
      await deleteDialog.getByLabel('Type linux.example to confirm').fill('linux.example');
      await confirmDelete.click();
      await page.getByText('No apps yet').waitFor();
      expect(findApp(ctx, 'linux.example')).toBeUndefined();
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
