import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkAuth,
  checkP256dh,
  decodeBase64Any,
  isOnP256,
} from '../../../../../src/main/core/subscriptions/import/subscriber-keys.ts';
import { offCurveKey, realKey } from '../subscription-fixtures.ts';

describe('subscriber keys', () => {
  it('agrees with OpenSSL on points on and off the curve', () => {
    for (let i = 0; i < 200; i++) {
      const point = Buffer.from(realKey().p256dh, 'base64url');
      if (i % 2 === 1) point[1 + (i % 64)] = point[1 + (i % 64)]! ^ (1 << (i % 8));
      let openssl = true;
      try {
        crypto.ECDH.convertKey(point, 'prime256v1');
      } catch {
        openssl = false;
      }
      expect(isOnP256(point)).toBe(openssl);
    }
  });

  it('refuses coordinates of p or more', () => {
    const point = Buffer.alloc(65, 0xff);
    point[0] = 4;
    expect(isOnP256(point)).toBe(false);
  });

  it('accepts base64url and standard base64, padded or not, and stores base64url', () => {
    const key = Buffer.from(realKey().p256dh, 'base64url');
    const forms = [
      key.toString('base64url'),
      key.toString('base64'),
      key.toString('base64').replace(/=+$/, ''),
    ];
    for (const form of forms)
      expect(checkP256dh(form)).toEqual({ ok: true, value: key.toString('base64url') });
    const auth = crypto.randomBytes(16);
    expect(checkAuth(auth.toString('base64'))).toEqual({ ok: true, value: auth.toString('base64url') });
    expect(checkAuth(auth.toString('base64url'))).toEqual({ ok: true, value: auth.toString('base64url') });
  });

  it('names what is wrong with a bad key', () => {
    expect(checkP256dh(undefined)).toEqual({ ok: false, reason: 'P256DH_MISSING' });
    expect(checkP256dh('not base64!')).toEqual({ ok: false, reason: 'P256DH_NOT_BASE64' });
    expect(checkP256dh(Buffer.alloc(33, 2).toString('base64url'))).toEqual({
      ok: false,
      reason: 'P256DH_WRONG_LENGTH',
    });
    const compressed = Buffer.from(realKey().p256dh, 'base64url');
    compressed[0] = 2;
    expect(checkP256dh(compressed.toString('base64url'))).toEqual({
      ok: false,
      reason: 'P256DH_NOT_UNCOMPRESSED',
    });
    expect(checkP256dh(offCurveKey())).toEqual({ ok: false, reason: 'P256DH_OFF_CURVE' });
    expect(checkAuth(Buffer.alloc(12).toString('base64url'))).toEqual({
      ok: false,
      reason: 'AUTH_WRONG_LENGTH',
    });
    expect(checkAuth('')).toEqual({ ok: false, reason: 'AUTH_MISSING' });
    expect(decodeBase64Any('abcde')).toBeNull();
    expect(decodeBase64Any('ab=c')).toBeNull();
  });
});
