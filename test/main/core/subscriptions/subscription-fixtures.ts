// Real subscriber keys and list files for the subscriptions tests, and many plain rows in one statement.
import crypto from 'node:crypto';
import type { CoreContext } from '../../../../src/main/core/context.ts';

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

/** `count` active subscriptions of `appId` in one statement (a loop of inserts would take seconds). */
export function insertMany(ctx: CoreContext, appId: number, count: number): void {
  ctx.db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO subscriptions (app_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
       SELECT ?, 'https://push.example/' || i, i, 'k', 'a', 'fcm', i, i FROM n`,
    )
    .run(count, appId);
}
