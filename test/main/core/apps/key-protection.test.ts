// Switching the desktop app's key protection re-seals stored keys; the passphrase choice is what lets the
// CLI (PUSHDECK_PASSPHRASE) open keys the app created.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, signingKey } from '../../../../src/main/core/apps/apps.ts';
import {
  keyProtectionInfo,
  restoreKeyProtection,
  setKeyProtection,
  unlockKeys,
} from '../../../../src/main/core/apps/key-protection.ts';
import { desktopSealer } from '../../../../src/main/core/keys/desktop-sealer.ts';
import { passphraseSealer } from '../../../../src/main/core/keys/sealer.ts';
import { testContext } from '../../../support/context.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { memoryKeychain } from '../keys/memory-keychain.ts';

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
});
