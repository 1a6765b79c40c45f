// Switching the desktop app's key protection re-seals stored keys; the passphrase choice is what lets the
// CLI (PUSHDECK_PASSPHRASE) open keys the app created.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, signingKey } from '../../../../src/main/core/apps/apps.ts';
import {
  changePassphrase,
  keyProtectionInfo,
  restoreKeyProtection,
  setKeyProtection,
  unlockKeys,
} from '../../../../src/main/core/keys/key-protection.ts';
import { desktopSealer } from '../../../../src/main/core/keys/desktop-sealer.ts';
import { passphraseSealer } from '../../../../src/main/core/keys/sealer.ts';
import { testContext } from '../../../support/context.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { memoryKeychain } from './memory-keychain.ts';

describe('key protection', () => {
  it('moves keys from the keychain to a passphrase the CLI can use, and back', () => {
    const dbPath = path.join(tempDir(), 'protect.db');
    const keychain = memoryKeychain();
    const ctx = testContext({ dbPath, keySealer: desktopSealer(keychain) });
    const app = createApp(ctx, { name: 'a.example', subject: 'mailto:a@a.example' });
    const original = signingKey(ctx, app.keyId!).privateKey;
    expect(keyProtectionInfo(ctx)).toMatchObject({
      choice: 'safe-storage',
      unlocked: true,
      keysByStorage: { 'safe-storage': 1, passphrase: 0, none: 0 },
    });
    // The CLI cannot open keychain-sealed keys.
    const cli = testContext({ dbPath, keySealer: passphraseSealer('the shared passphrase') });
    expect(() => signingKey(cli, app.keyId!)).toThrow(
      expect.objectContaining({ code: 'KEYS_SAFE_STORAGE_ONLY' }),
    );

    expect(() => setKeyProtection(ctx, 'passphrase', 'short')).toThrow(
      expect.objectContaining({ code: 'KEYS_PASSPHRASE_TOO_SHORT' }),
    );
    const switched = setKeyProtection(ctx, 'passphrase', 'the shared passphrase');
    expect(switched).toMatchObject({ resealed: 1, notResealed: 0, choice: 'passphrase' });
    expect(switched.keysByStorage).toEqual({ 'safe-storage': 0, passphrase: 1, none: 0 });
    expect(signingKey(cli, app.keyId!).privateKey.equals(original)).toBe(true);

    // Restarted: the choice is remembered, the passphrase is not.
    const restarted = testContext({ dbPath, keySealer: desktopSealer(keychain) });
    restoreKeyProtection(restarted);
    expect(keyProtectionInfo(restarted)).toMatchObject({ choice: 'passphrase', unlocked: false });
    expect(() => signingKey(restarted, app.keyId!)).toThrow(expect.objectContaining({ code: 'KEYS_LOCKED' }));
    expect(() => unlockKeys(restarted, 'wrong passphrase')).toThrow(
      expect.objectContaining({ code: 'KEYS_WRONG_PASSPHRASE' }),
    );
    expect(unlockKeys(restarted, 'the shared passphrase').unlocked).toBe(true);
    expect(signingKey(restarted, app.keyId!).privateKey.equals(original)).toBe(true);

    const back = setKeyProtection(restarted, 'safe-storage');
    expect(back).toMatchObject({ resealed: 1, choice: 'safe-storage' });
    expect(signingKey(restarted, app.keyId!).privateKey.equals(original)).toBe(true);
    expect(
      (
        restarted.db
          .prepare('SELECT action, details FROM audit_log WHERE action = ?')
          .all('keys.protection') as unknown[]
      ).length,
    ).toBe(2);
  });

  it('is fixed by the environment in the CLI', () => {
    const ctx = testContext();
    expect(keyProtectionInfo(ctx)).toMatchObject({ choice: null, unlocked: true });
    expect(() => setKeyProtection(ctx, 'safe-storage')).toThrow(
      expect.objectContaining({ code: 'KEYS_PROTECTION_FIXED' }),
    );
  });

  it('changes the passphrase: every key opens with the new one only, and a wrong one changes nothing', () => {
    const dbPath = path.join(tempDir(), 'change.db');
    const ctx = testContext({ dbPath, keySealer: desktopSealer(memoryKeychain()) });
    const one = createApp(ctx, { name: 'one.example', subject: 'mailto:a@one.example' });
    const two = createApp(ctx, { name: 'two.example', subject: 'mailto:a@two.example' });
    setKeyProtection(ctx, 'passphrase', 'the first passphrase');
    const originals = [one, two].map((app) => signingKey(ctx, app.keyId!).privateKey);
    const sealedBytes = () =>
      (ctx.db.prepare('SELECT private_key FROM app_keys ORDER BY id').all() as { private_key: Buffer }[]).map(
        (row) => row.private_key.toString('hex'),
      );
    const before = sealedBytes();

    expect(() => changePassphrase(ctx, 'not the passphrase', 'the second passphrase')).toThrow(
      expect.objectContaining({ code: 'KEYS_WRONG_PASSPHRASE' }),
    );
    expect(() => changePassphrase(ctx, 'the first passphrase', 'short')).toThrow(
      expect.objectContaining({ code: 'KEYS_PASSPHRASE_TOO_SHORT' }),
    );
    expect(() => changePassphrase(ctx, 'the first passphrase', 'the first passphrase')).toThrow(
      expect.objectContaining({ code: 'KEYS_PASSPHRASE_UNCHANGED' }),
    );
    expect(sealedBytes()).toEqual(before);

    const changed = changePassphrase(ctx, 'the first passphrase', 'the second passphrase');
    expect(changed).toMatchObject({ resealed: 2, choice: 'passphrase', unlocked: true });
    expect(sealedBytes().some((hex, i) => hex === before[i])).toBe(false);
    // This process keeps working with the new passphrase held in memory.
    expect(signingKey(ctx, one.keyId!).privateKey.equals(originals[0]!)).toBe(true);
    // The CLI opens them with the new passphrase only.
    const cliNew = testContext({ dbPath, keySealer: passphraseSealer('the second passphrase') });
    expect(signingKey(cliNew, two.keyId!).privateKey.equals(originals[1]!)).toBe(true);
    const cliOld = testContext({ dbPath, keySealer: passphraseSealer('the first passphrase') });
    expect(() => signingKey(cliOld, two.keyId!)).toThrow(
      expect.objectContaining({ code: 'KEYS_WRONG_PASSPHRASE' }),
    );
    // After a restart the new passphrase unlocks them, the old one does not.
    const restarted = testContext({ dbPath, keySealer: desktopSealer(memoryKeychain()) });
    restoreKeyProtection(restarted);
    expect(() => unlockKeys(restarted, 'the first passphrase')).toThrow(
      expect.objectContaining({ code: 'KEYS_WRONG_PASSPHRASE' }),
    );
    expect(unlockKeys(restarted, 'the second passphrase').unlocked).toBe(true);
    expect(
      ctx.db.prepare("SELECT details FROM audit_log WHERE action = 'keys.passphrase'").pluck().all(),
    ).toEqual([JSON.stringify({ resealed: 2 })]);
  });

  it('refuses when some keys were sealed with another passphrase (the CLI can do that)', () => {
    const dbPath = path.join(tempDir(), 'mixed.db');
    const first = testContext({ dbPath, keySealer: passphraseSealer('passphrase number one') });
    createApp(first, { name: 'one.example', subject: 'mailto:a@one.example' });
    const second = testContext({ dbPath, keySealer: passphraseSealer('passphrase number two') });
    createApp(second, { name: 'two.example', subject: 'mailto:a@two.example' });
    expect(() => changePassphrase(first, 'passphrase number one', 'a brand new passphrase')).toThrow(
      expect.objectContaining({
        code: 'KEYS_WRONG_PASSPHRASE',
        message: expect.stringContaining('opens 1 of the 2') as string,
      }),
    );
    const empty = testContext();
    expect(() => changePassphrase(empty, 'whatever it is', 'a brand new passphrase')).toThrow(
      expect.objectContaining({ code: 'KEYS_NO_PASSPHRASE_KEYS' }),
    );
  });
});
