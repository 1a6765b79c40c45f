// Writes a CSV list of subscriptions with real P-256 keys, for the import benchmark and large-list tests.
// Key generation costs ~100 µs a key, so `distinctKeys` real key pairs are made and reused across rows;
// every row still goes through the full check (base64 decode, length, point on the curve).
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface GenerateOptions {
  rows: number;
  distinctKeys?: number;
  tags?: readonly string[];
}

export const hosts = [
  'https://fcm.googleapis.com/fcm/send/',
  'https://updates.push.services.mozilla.com/wpush/v2/',
  'https://web.push.apple.com/',
  'https://wns2-par02p.notify.windows.com/w/?token=',
] as const;

export function realKeys(count: number): { p256dh: string; auth: string }[] {
  return Array.from({ length: count }, () => {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    return {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: crypto.randomBytes(16).toString('base64url'),
    };
  });
}

/** Writes the file; returns its size in bytes. */
export function writeCsvList(file: string, options: GenerateOptions): number {
  const keys = realKeys(options.distinctKeys ?? 2000);
  const tags = options.tags ?? ['news', 'sport', 'weather', 'deals', 'beta'];
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let buffer = 'endpoint,p256dh,auth,tags,label,city\n';
  for (let i = 0; i < options.rows; i++) {
    const key = keys[i % keys.length]!;
    const host = hosts[i % hosts.length]!;
    const token = crypto.createHash('sha256').update(String(i)).digest('base64url');
    const rowTags =
      i % 3 === 0 ? `${tags[i % tags.length]};${tags[(i + 1) % tags.length]}` : tags[i % tags.length]!;
    buffer += `${host}${token}${token.slice(0, 40)},${key.p256dh},${key.auth},${rowTags},user ${i},${i % 7 === 0 ? 'Paris' : 'Lyon'}\n`;
    if (buffer.length > 1 << 20) {
      size += fs.writeSync(fd, buffer);
      buffer = '';
    }
  }
  size += fs.writeSync(fd, buffer);
  fs.closeSync(fd);
  return size;
}
