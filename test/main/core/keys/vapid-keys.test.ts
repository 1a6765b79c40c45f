// Key and subject validation: each mistake has its own code; web-push's keys import and round-trip.
import crypto from 'node:crypto';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { PushdeckError } from '../../../../src/shared/errors.ts';
import {
  generateVapidKeyPair,
  keyFingerprint,
  parsePublicKey,
  validateKeyPair,
} from '../../../../src/main/core/keys/vapid-keys.ts';
import { validateSubject } from '../../../../src/main/core/keys/vapid-subject.ts';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof PushdeckError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('VAPID key validation', () => {
  const good = webpush.generateVAPIDKeys();

  it('imports a web-push generated pair and gives back the same base64url text', () => {
    const pair = validateKeyPair(good.publicKey, good.privateKey);
    expect(pair.publicKey).toBe(good.publicKey);
    expect(pair.privateKey.toString('base64url')).toBe(good.privateKey);
    // Standard base64 with padding is accepted too and normalised to base64url.
    const padded = Buffer.from(good.publicKey, 'base64url').toString('base64');
    expect(validateKeyPair(padded, good.privateKey).publicKey).toBe(good.publicKey);
  });

  it('refuses each kind of bad key with its own code', () => {
    const other = generateVapidKeyPair();
    const point = Buffer.from(good.publicKey, 'base64url');
    const offCurve = Buffer.from(point);
    offCurve[64] = offCurve[64]! ^ 1;
    const compressed = crypto.ECDH.convertKey(
      point,
      'prime256v1',
      undefined,
      undefined,
      'compressed',
    ) as Buffer;
    const cases: [string, string, string][] = [
      ['not base64!', good.privateKey, 'VAPID_PUBLIC_KEY_NOT_BASE64'],
      [good.publicKey.slice(0, 40), good.privateKey, 'VAPID_PUBLIC_KEY_LENGTH'],
      [compressed.toString('base64url'), good.privateKey, 'VAPID_PUBLIC_KEY_LENGTH'],
      [offCurve.toString('base64url'), good.privateKey, 'VAPID_PUBLIC_KEY_NOT_ON_CURVE'],
      [good.publicKey, 'sp ace', 'VAPID_PRIVATE_KEY_NOT_BASE64'],
      [good.publicKey, good.privateKey.slice(0, 20), 'VAPID_PRIVATE_KEY_LENGTH'],
      [good.publicKey, Buffer.alloc(32).toString('base64url'), 'VAPID_PRIVATE_KEY_INVALID'],
      [good.publicKey, other.privateKey.toString('base64url'), 'VAPID_KEY_MISMATCH'],
    ];
    for (const [publicKey, privateKey, code] of cases) {
      expect(
        codeOf(() => validateKeyPair(publicKey, privateKey)),
        code,
      ).toBe(code);
    }
  });

  it('gives every generated key as 32 bytes, one in ~256 of which starts with a zero byte', () => {
    // ECDH.getPrivateKey() drops leading zero bytes: without padding, ~12 of these 3,000 would be 31 bytes
    // long, and each app created with one could never sign (the chance that none of them is: 1 in 1,000).
    let leadingZero = 0;
    for (let i = 0; i < 3000; i++) {
      const pair = generateVapidKeyPair();
      expect(pair.privateKey).toHaveLength(32);
      if (pair.privateKey[0] === 0) {
        leadingZero++;
        expect(validateKeyPair(pair.publicKey, pair.privateKey.toString('base64url'))).toStrictEqual(pair);
      }
    }
    expect(leadingZero).toBeLessThan(60);
  });

  it('imports a private key whose leading zero byte was dropped, as some tools export it, padded to 32', () => {
    const shortKey = () => {
      for (;;) {
        const ecdh = crypto.createECDH('prime256v1');
        ecdh.generateKeys();
        if (ecdh.getPrivateKey().length < 32) return ecdh;
      }
    };
    const ecdh = shortKey();
    const short = ecdh.getPrivateKey();
    const pair = validateKeyPair(ecdh.getPublicKey('base64url'), short.toString('base64url'));
    expect(pair.privateKey).toHaveLength(32);
    expect(pair.privateKey.subarray(32 - short.length)).toStrictEqual(short);
    expect(pair.privateKey.subarray(0, 32 - short.length).every((byte) => byte === 0)).toBe(true);
    // A full key cut short when copied is still refused for its length, not as another pair's half.
    const cut = Buffer.from(good.privateKey, 'base64url').subarray(0, 31).toString('base64url');
    expect(codeOf(() => validateKeyPair(good.publicKey, cut))).toBe('VAPID_PRIVATE_KEY_LENGTH');
  });

  it('never puts the private key in an error message', () => {
    const other = generateVapidKeyPair();
    try {
      validateKeyPair(good.publicKey, other.privateKey.toString('base64url'));
    } catch (error) {
      expect((error as Error).message).not.toContain(other.privateKey.toString('base64url'));
      expect((error as Error).message).not.toContain(other.privateKey.toString('hex'));
    }
  });

  it('fingerprints the public key, the same way each time, without showing the key', () => {
    const fingerprint = keyFingerprint(good.publicKey);
    expect(fingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
    expect(keyFingerprint(parsePublicKey(good.publicKey).toString('base64url'))).toBe(fingerprint);
  });
});

describe('VAPID subject validation', () => {
  it('accepts mailto: and https: contacts', () => {
    expect(validateSubject(' mailto:ops@example.com ')).toBe('mailto:ops@example.com');
    expect(validateSubject('https://example.com/contact')).toBe('https://example.com/contact');
  });

  it('refuses each kind of bad subject with its own code', () => {
    const cases: [string, string][] = [
      ['', 'VAPID_SUBJECT_MISSING'],
      ['Ops <ops@example.com>', 'VAPID_SUBJECT_INVALID'],
      ['mailto:ops @example.com', 'VAPID_SUBJECT_INVALID'],
      ['mailto:nobody', 'VAPID_SUBJECT_INVALID'],
      ['ops@example.com', 'VAPID_SUBJECT_SCHEME'],
      ['http://example.com', 'VAPID_SUBJECT_SCHEME'],
      ['https://localhost:3000', 'VAPID_SUBJECT_LOCALHOST'],
      ['mailto:me@localhost', 'VAPID_SUBJECT_LOCALHOST'],
      ['mailto:me@example.invalid', 'VAPID_SUBJECT_INVALID_DOMAIN'],
      ['https://push.invalid', 'VAPID_SUBJECT_INVALID_DOMAIN'],
    ];
    for (const [subject, code] of cases)
      expect(
        codeOf(() => validateSubject(subject)),
        subject,
      ).toBe(code);
  });
});
