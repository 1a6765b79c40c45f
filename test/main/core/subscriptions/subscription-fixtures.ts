// Real subscriber keys and list files for the subscriptions tests.
import crypto from 'node:crypto';

export interface TestSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export function realKey(): { p256dh: string; auth: string } {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: crypto.randomBytes(16).toString('base64url'),
  };
}

export function subscription(i: number, host = 'https://fcm.googleapis.com/fcm/send/'): TestSubscription {
  return { endpoint: `${host}token-${i}?q=${i}`, ...realKey() };
}

export function csvOf(subs: TestSubscription[], extra = ''): string {
  return `endpoint,p256dh,auth\n${subs.map((s) => `${s.endpoint},${s.p256dh},${s.auth}`).join('\n')}\n${extra}`;
}

export function jsonOf(subs: TestSubscription[]): string {
  return JSON.stringify(
    subs.map((s) => ({
      endpoint: s.endpoint,
      expirationTime: null,
      keys: { p256dh: s.p256dh, auth: s.auth },
    })),
  );
}

/** A point whose y is off by one: 65 bytes, 0x04 first, not on P-256. */
export function offCurveKey(): string {
  const point = Buffer.from(realKey().p256dh, 'base64url');
  point[64] = point[64]! ^ 1;
  return point.toString('base64url');
}
