import { describe, expect, it } from 'vitest';
import { generateVapidKeyPair } from '../../../../src/main/core/keys/vapid-keys.ts';
import { JWT_LIFETIME_S, JWT_RENEW_BEFORE_S, VapidHeaders } from '../../../../src/main/core/push/vapid.ts';
import { checkVapid } from '../../../support/push-service/vapid-check.ts';

describe('VAPID headers for a run of sends', () => {
  const pair = { keyId: 1, ...generateVapidKeyPair() };

  it('signs one JWT per push-service origin and key, that the service accepts for that origin only', () => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    const vapid = new VapidHeaders('mailto:ops@example.com', () => now);
    const a = vapid.authorization('https://push.example:8443', pair);
    expect(vapid.authorization('https://push.example:8443', pair)).toBe(a);
    const b = vapid.authorization('https://other.example', pair);
    expect(b).not.toBe(a);
    const otherKey = { keyId: 2, ...generateVapidKeyPair() };
    vapid.authorization('https://push.example:8443', otherKey);
    expect(vapid.signed).toBe(3);

    const check = checkVapid(a, 'https://push.example:8443', now);
    expect(check).toMatchObject({
      ok: true,
      key: pair.publicKey,
      claims: { aud: 'https://push.example:8443', sub: 'mailto:ops@example.com' },
    });
    expect(check.claims!.exp - now / 1000).toBeLessThanOrEqual(24 * 3600);
    expect(checkVapid(a, 'https://push.example', now)).toMatchObject({ ok: false });

    // Reused until shortly before it expires, then signed again.
    now += (JWT_LIFETIME_S - JWT_RENEW_BEFORE_S - 60) * 1000;
    expect(vapid.authorization('https://push.example:8443', pair)).toBe(a);
    now += 120_000;
    const renewed = vapid.authorization('https://push.example:8443', pair);
    expect(renewed).not.toBe(a);
    expect(checkVapid(renewed, 'https://push.example:8443', now).ok).toBe(true);
  });
});
