// The VAPID JWT (RFC 8292 §2): ES256 over the header and claims, signature as raw r‖s (64 bytes), and the
// Authorization header that carries it with the public key.
import crypto from 'node:crypto';

export interface VapidJwtInput {
  /** The push service's origin, port included: `https://fcm.googleapis.com`. */
  audience: string;
  /** mailto: or https: contact (validated by validateSubject). */
  subject: string;
  /** The raw 32-byte private scalar. */
  privateKey: Buffer;
  /** base64url of the 65-byte uncompressed public point. */
  publicKey: string;
  /** The `exp` claim, in SECONDS since the epoch; push services refuse more than 24 h ahead. */
  expiresAt: number;
}

const HEADER = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ES256' })).toString('base64url');

// Building a KeyObject costs far more than signing with one (DESIGN.md): keep the last few, per public key.
const keyObjects = new Map<string, { privateKey: Buffer; keyObject: crypto.KeyObject }>();

function signingKeyObject(publicKey: string, privateKey: Buffer): crypto.KeyObject {
  const cached = keyObjects.get(publicKey);
  if (cached && cached.privateKey.equals(privateKey)) return cached.keyObject;
  const point = Buffer.from(publicKey, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04 || privateKey.length !== 32) {
    throw new Error('signVapidJwt needs a 65-byte uncompressed public key and a 32-byte private key');
  }
  const keyObject = crypto.createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
      d: privateKey.toString('base64url'),
    },
  });
  if (keyObjects.size >= 16) keyObjects.delete(keyObjects.keys().next().value!);
  keyObjects.set(publicKey, { privateKey: Buffer.from(privateKey), keyObject });
  return keyObject;
}

export function signVapidJwt(input: VapidJwtInput): string {
  if (!Number.isInteger(input.expiresAt) || input.expiresAt > 1e11) {
    throw new Error('signVapidJwt: expiresAt is whole seconds since the epoch, not milliseconds');
  }
  const claims = Buffer.from(
    JSON.stringify({ aud: new URL(input.audience).origin, exp: input.expiresAt, sub: input.subject }),
  ).toString('base64url');
  const unsigned = `${HEADER}.${claims}`;
  const signature = crypto.sign('sha256', Buffer.from(unsigned), {
    key: signingKeyObject(input.publicKey, input.privateKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${unsigned}.${signature.toString('base64url')}`;
}

/** RFC 8292 §3: `Authorization: vapid t=<jwt>, k=<public key>`. */
export function vapidAuthorization(jwt: string, publicKey: string): string {
  return `vapid t=${jwt}, k=${publicKey}`;
}
