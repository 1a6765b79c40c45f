// Checks a request's VAPID Authorization the way push services do (RFC 8292): header form, ES256 raw r‖s
// signature with the key in `k`, aud = this origin, exp in the future and at most 24 h ahead, a usable sub.
import crypto from 'node:crypto';

export interface VapidCheck {
  ok: boolean;
  /** The public key the request was signed with (`k`). */
  key?: string;
  claims?: { aud: string; exp: number; sub: string };
  problem?: string;
}

export function checkVapid(
  authorization: string | undefined,
  origin: string,
  nowMs = Date.now(),
): VapidCheck {
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), ?k=([A-Za-z0-9_-]+)$/.exec(
    authorization ?? '',
  );
  if (!match) return { ok: false, problem: 'Authorization is not "vapid t=…, k=…"' };
  const [, jwt, key] = match as unknown as [string, string, string];
  const [headerPart, claimsPart, signaturePart] = jwt.split('.') as [string, string, string];
  let header: { alg?: string; typ?: string };
  let claims: { aud: string; exp: number; sub: string };
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, key, problem: 'JWT is not JSON' };
  }
  if (header.alg !== 'ES256') return { ok: false, key, problem: `alg ${header.alg} is not ES256` };
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return { ok: false, key, problem: 'k is not a P-256 point' };
  const publicKey = crypto.createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
  });
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== 64) return { ok: false, key, problem: 'signature is not raw r‖s (64 bytes)' };
  const valid = crypto.verify(
    'sha256',
    Buffer.from(`${headerPart}.${claimsPart}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!valid) return { ok: false, key, problem: 'bad signature' };
  if (claims.aud !== origin) return { ok: false, key, claims, problem: `aud ${claims.aud} is not ${origin}` };
  const nowS = nowMs / 1000;
  if (!(claims.exp > nowS)) return { ok: false, key, claims, problem: 'expired JWT' };
  if (claims.exp > nowS + 24 * 3600) return { ok: false, key, claims, problem: 'exp more than 24 h ahead' };
  if (!/^(mailto:[^\s<>@]+@[^\s<>]+|https:\/\/[^\s<>]+)$/.test(claims.sub ?? '')) {
    return { ok: false, key, claims, problem: 'sub is not mailto: or https:' };
  }
  return { ok: true, key, claims };
}
