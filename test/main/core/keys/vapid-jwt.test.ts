// The VAPID JWT checked by an independent ES256 verifier: the public key is rebuilt as SPKI DER by hand,
// the raw r‖s signature converted to DER by hand, and the claims read back.
import crypto from 'node:crypto';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { signVapidJwt, vapidAuthorization } from '../../../../src/main/core/keys/vapid-jwt.ts';
import { generateVapidKeyPair, validateKeyPair } from '../../../../src/main/core/keys/vapid-keys.ts';

// SubjectPublicKeyInfo prefix for an uncompressed P-256 point (id-ecPublicKey, prime256v1).
const SPKI_P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

function derInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let body = bytes.subarray(i);
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

/** Verifies an ES256 JWT without Pushdeck code; returns the claims, or throws. */
function verifyEs256(jwt: string, publicKey: string): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new Error('not a JWS compact serialisation');
  const [headerText, claimsText, signatureText] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(headerText, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (header.alg !== 'ES256') throw new Error(`alg ${String(header.alg)}`);
  const signature = Buffer.from(signatureText, 'base64url');
  if (signature.length !== 64) throw new Error(`signature is ${signature.length} bytes, not raw r‖s`);
  const r = derInteger(signature.subarray(0, 32));
  const s = derInteger(signature.subarray(32));
  const der = Buffer.concat([Buffer.from([0x30, r.length + s.length]), r, s]);
  const key = crypto.createPublicKey({
    key: Buffer.concat([SPKI_P256_PREFIX, Buffer.from(publicKey, 'base64url')]),
    format: 'der',
    type: 'spki',
  });
  if (!crypto.verify('sha256', Buffer.from(`${headerText}.${claimsText}`), key, der)) {
    throw new Error('bad signature');
  }
  return JSON.parse(Buffer.from(claimsText, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('signVapidJwt', () => {
  const nowSeconds = Math.floor(Date.now() / 1000);

  it('signs with a generated key so that an independent ES256 verifier accepts aud, exp and sub', () => {
    const pair = generateVapidKeyPair();
    const jwt = signVapidJwt({
      audience: 'https://push.example.net:8443/wpush/v2/abc?x=1',
      subject: 'mailto:ops@example.com',
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      expiresAt: nowSeconds + 12 * 3600,
    });
    const claims = verifyEs256(jwt, pair.publicKey);
    expect(claims.aud).toBe('https://push.example.net:8443');
    expect(claims.sub).toBe('mailto:ops@example.com');
    expect(claims.exp).toBe(nowSeconds + 12 * 3600);
    expect(claims.exp as number).toBeLessThanOrEqual(nowSeconds + 24 * 3600);
    expect(vapidAuthorization(jwt, pair.publicKey)).toBe(`vapid t=${jwt}, k=${pair.publicKey}`);
  });

  it('signs with a key whose first byte is zero (one generated key in ~256)', () => {
    let pair = generateVapidKeyPair();
    for (let i = 0; i < 20_000 && pair.privateKey[0] !== 0; i++) pair = generateVapidKeyPair();
    expect(pair.privateKey.subarray(0, 1)).toStrictEqual(Buffer.alloc(1));
    const jwt = signVapidJwt({
      audience: 'https://web.push.apple.com',
      subject: 'mailto:ops@example.com',
      ...pair,
      expiresAt: nowSeconds + 3600,
    });
    expect(verifyEs256(jwt, pair.publicKey).aud).toBe('https://web.push.apple.com');
  });

  it('signs with web-push generated keys too, and the verifier rejects another key or a changed claim', () => {
    const generated = webpush.generateVAPIDKeys();
    const pair = validateKeyPair(generated.publicKey, generated.privateKey);
    const jwt = signVapidJwt({
      audience: 'https://fcm.googleapis.com',
      subject: 'https://example.com',
      ...pair,
      expiresAt: nowSeconds + 3600,
    });
    expect(verifyEs256(jwt, generated.publicKey).aud).toBe('https://fcm.googleapis.com');
    expect(() => verifyEs256(jwt, generateVapidKeyPair().publicKey)).toThrow('bad signature');
    const [h, , sig] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ aud: 'https://evil.example', exp: 1, sub: 'x' })).toString(
      'base64url',
    );
    expect(() => verifyEs256(`${h}.${forged}.${sig}`, generated.publicKey)).toThrow('bad signature');
  });

  it('refuses an expiry given in milliseconds', () => {
    const pair = generateVapidKeyPair();
    expect(() =>
      signVapidJwt({
        audience: 'https://a.example',
        subject: 'mailto:a@b.example',
        ...pair,
        expiresAt: Date.now(),
      }),
    ).toThrow(/seconds/);
  });
});
