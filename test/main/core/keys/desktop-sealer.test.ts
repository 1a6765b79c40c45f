// The desktop sealer's choices, over an in-memory keychain (see memory-keychain.ts).
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { desktopSealer } from '../../../../src/main/core/keys/desktop-sealer.ts';
import { passphraseSealer, plaintextSealer } from '../../../../src/main/core/keys/sealer.ts';
import { memoryKeychain } from './memory-keychain.ts';

describe('desktopSealer', () => {
  const secret = crypto.randomBytes(32);

  it('seals with the keychain by default and opens what it sealed', () => {
    const sealer = desktopSealer(memoryKeychain());
    const { sealed, protection } = sealer.seal(secret);
    expect(protection).toBe('safe-storage');
    expect(sealed.includes(secret)).toBe(false);
    expect(sealer.open(sealed, protection).equals(secret)).toBe(true);
    expect(sealer.status()).toMatchObject({ mode: 'safe-storage', warning: null });
    expect(sealer.protects('safe-storage')).toBe(true);
    expect(sealer.protects('none')).toBe(false);
  });

  it('opens a key an earlier build stored 31 bytes long (its leading zero dropped) as its 32 bytes', () => {
    const short = crypto.randomBytes(31);
    const padded = Buffer.concat([Buffer.alloc(1), short]);
    const keychain = desktopSealer(memoryKeychain());
    const cli = passphraseSealer('long enough passphrase');
    for (const sealer of [keychain, cli, plaintextSealer()]) {
      const { sealed, protection } = sealer.seal(short);
      expect(sealer.open(sealed, protection)).toStrictEqual(padded);
    }
    // Anything else is still damaged.
    const { sealed, protection } = cli.seal(crypto.randomBytes(20));
    expect(() => cli.open(sealed, protection)).toThrow(expect.objectContaining({ code: 'KEY_CORRUPT' }));
  });

  it('warns that the basic_text backend is effectively plaintext and counts such keys as unprotected', () => {
    const sealer = desktopSealer(memoryKeychain('basic_text'));
    expect(sealer.status().warning).toMatch(/basic_text.*plaintext/);
    expect(sealer.protects('safe-storage')).toBe(false);
  });

  it('with a passphrase, seals keys the CLI opens with the same PUSHDECK_PASSPHRASE', () => {
    const sealer = desktopSealer(memoryKeychain());
    sealer.control!.choose('passphrase', 'long enough passphrase');
    const { sealed, protection } = sealer.seal(secret);
    expect(protection).toBe('passphrase');
    expect(passphraseSealer('long enough passphrase').open(sealed, protection).equals(secret)).toBe(true);
  });

  it('stays locked after start with a saved passphrase choice until the passphrase is entered', () => {
    const sealer = desktopSealer(memoryKeychain(), 'passphrase');
    const sealed = passphraseSealer('long enough passphrase').seal(secret).sealed;
    expect(sealer.mode).toBe('locked');
    expect(() => sealer.open(sealed, 'passphrase')).toThrow(expect.objectContaining({ code: 'KEYS_LOCKED' }));
    expect(() => sealer.seal(secret)).toThrow(expect.objectContaining({ code: 'KEYS_LOCKED' }));
    sealer.control!.choose('passphrase', 'long enough passphrase');
    expect(sealer.mode).toBe('passphrase');
    expect(sealer.open(sealed, 'passphrase').equals(secret)).toBe(true);
  });

  it('refuses to seal when no keychain is available and says what to do', () => {
    const sealer = desktopSealer(memoryKeychain(null, false));
    expect(sealer.mode).toBe('locked');
    expect(() => sealer.seal(secret)).toThrow(expect.objectContaining({ code: 'KEYS_KEYCHAIN_UNAVAILABLE' }));
  });
});
