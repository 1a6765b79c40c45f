// Apps and their keys over a real SQLite file: create, import, rotate (old keys stay usable), export,
// subject changes, delete, and the audit log — which holds fingerprints, never keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../../../src/main/core/context.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { importKeyPair, rotateKey, rotationPreview } from '../../../../src/main/core/apps/app-keys.ts';
import {
  createApp,
  deleteApp,
  findApp,
  getApp,
  listApps,
  setSubject,
  signingKey,
} from '../../../../src/main/core/apps/apps.ts';
import { exportPrivateKeyText } from '../../../../src/main/core/apps/key-export.ts';
import { parseKeyText } from '../../../../src/main/core/keys/key-file.ts';
import { plaintextSealer } from '../../../../src/main/core/keys/sealer.ts';
import { keyFingerprint } from '../../../../src/main/core/keys/vapid-keys.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { testContext } from '../../../support/context.ts';
import { tempDir } from '../../../support/temp-dir.ts';

let endpointCounter = 0;

/** Adds subscriptions bound to a key, as the subscriptions feature stores them. */
export function addSubscriptions(
  ctx: CoreContext,
  appId: number,
  keyId: number | null,
  count: number,
  status: 'active' | 'expired' = 'active',
): void {
  const insert = ctx.db.prepare(
    `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'p', 'a', 'other', ?, 0, 0)`,
  );
  for (let i = 0; i < count; i++) {
    endpointCounter++;
    insert.run(appId, keyId, `https://push.example/${endpointCounter}`, endpointCounter, status);
  }
}

function auditRows(ctx: CoreContext) {
  return ctx.db.prepare('SELECT action, app_id, subject, details FROM audit_log ORDER BY id').all() as {
    action: string;
    app_id: number | null;
    subject: string | null;
    details: string;
  }[];
}

describe('apps', () => {
  it('creates an app with a fresh P-256 pair, sealed, and lists it', async () => {
    const ctx = testContext();
    const door = createDispatcher({ context: ctx, actor: 'app' });
    const app = await door.call('apps.create', {
      name: ' shop.example ',
      subject: 'mailto:ops@shop.example',
    });
    expect(app).toMatchObject({
      name: 'shop.example',
      protection: 'passphrase',
      protectedAtRest: true,
      retiredKeys: 0,
      fingerprint: keyFingerprint(app.publicKey!),
    });
    expect(Buffer.from(app.publicKey!, 'base64url')).toHaveLength(65);
    const key = signingKey(ctx, app.keyId!);
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.setPrivateKey(key.privateKey);
    expect(ecdh.getPublicKey('base64url')).toBe(app.publicKey);
    expect(listApps(ctx).map((a) => a.name)).toEqual(['shop.example']);
    expect(ctx.recorded).toContainEqual({ event: 'data.changed', payload: { scopes: ['apps'] } });
    expect(() => createApp(ctx, { name: 'SHOP.example', subject: 'mailto:a@b.example' })).toThrow(
      expect.objectContaining({ code: 'APP_EXISTS' }),
    );
    expect(() => createApp(ctx, { name: 'x', subject: 'mailto:a@localhost' })).toThrow(
      expect.objectContaining({ code: 'VAPID_SUBJECT_LOCALHOST' }),
    );
  });

  it('rotates: says how many subscriptions it orphans, and the old key still signs for them', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const other = createTestApp(ctx);
    addSubscriptions(ctx, app.id, app.keyId, 3);
    addSubscriptions(ctx, app.id, app.keyId, 2, 'expired');
    addSubscriptions(ctx, other.id, other.keyId, 4);
    const preview = rotationPreview(ctx, app.id);
    expect(preview).toMatchObject({ orphaned: 3, onRetiredKeys: 0, currentFingerprint: app.fingerprint });

    expect(() => rotateKey(ctx, app.id, { confirmOrphaned: 0 })).toThrow(
      expect.objectContaining({ code: 'KEY_CHANGE_STALE' }),
    );
    const rotated = rotateKey(ctx, app.id, { confirmOrphaned: 3 });
    expect(rotated.orphaned).toBe(3);
    expect(rotated.retiredFingerprint).toBe(app.fingerprint);
    expect(rotated.app.keyId).not.toBe(app.keyId);
    expect(rotated.app.publicKey).not.toBe(app.publicKey);
    expect(rotated.app.retiredKeys).toBe(1);
    // The retired key still opens: its subscriptions can be sent to until they re-subscribe.
    expect(signingKey(ctx, app.keyId!).publicKey).toBe(app.publicKey);
    // A second rotation counts subscriptions already on older keys.
    addSubscriptions(ctx, app.id, rotated.app.keyId, 1);
    expect(rotationPreview(ctx, app.id)).toMatchObject({ orphaned: 4, onRetiredKeys: 3 });
    expect(getApp(ctx, other.id).publicKey).toBe(other.publicKey);
  });

  it('imports a web-push pair into a new app, and into an existing one only when the orphans are confirmed', () => {
    const ctx = testContext();
    const generated = webpush.generateVAPIDKeys();
    const created = importKeyPair(ctx, {
      app: 'blog.example',
      text: JSON.stringify(generated),
      subject: 'https://blog.example',
    });
    expect(created).toMatchObject({ created: true, orphaned: 0 });
    expect(created.app.publicKey).toBe(generated.publicKey);
    expect(signingKey(ctx, created.app.keyId!).privateKey.toString('base64url')).toBe(generated.privateKey);
    // Round trip: the exported .env imports back into another app as the same pair.
    const exported = exportPrivateKeyText(ctx, 'blog.example', 'env').text;
    expect(parseKeyText(exported)).toEqual({ ...generated, subject: 'https://blog.example' });
    const copy = importKeyPair(ctx, { app: 'copy.example', text: exported });
    expect(copy.app).toMatchObject({ publicKey: generated.publicKey, subject: 'https://blog.example' });

    addSubscriptions(ctx, created.app.id, created.app.keyId, 2);
    const next = webpush.generateVAPIDKeys();
    expect(() => importKeyPair(ctx, { app: 'blog.example', ...next })).toThrow(
      expect.objectContaining({ code: 'KEY_CHANGE_UNCONFIRMED' }),
    );
    expect(getApp(ctx, 'blog.example').publicKey).toBe(generated.publicKey);
    const replaced = importKeyPair(ctx, { app: 'blog.example', ...next, confirmOrphaned: 2 });
    expect(replaced).toMatchObject({ created: false, orphaned: 2 });
    expect(replaced.app.publicKey).toBe(next.publicKey);
    // Importing the old pair again brings the retired key back instead of duplicating it.
    const back = importKeyPair(ctx, { app: 'blog.example', ...generated, confirmOrphaned: 2 });
    expect(back.app.keyId).toBe(created.app.keyId);
    expect(back.app.retiredKeys).toBe(1);
  });

  it('refuses an import without a subject for a new app, or with both a file and keys', () => {
    const ctx = testContext();
    const pair = webpush.generateVAPIDKeys();
    expect(() => importKeyPair(ctx, { app: 'a.example', ...pair })).toThrow(
      expect.objectContaining({ code: 'VAPID_SUBJECT_MISSING' }),
    );
    expect(() => importKeyPair(ctx, { app: 'a.example', ...pair, text: JSON.stringify(pair) })).toThrow(
      expect.objectContaining({ code: 'KEY_IMPORT_AMBIGUOUS' }),
    );
    expect(findApp(ctx, 'a.example')).toBeUndefined();
  });

  it('changes the subject and deletes an app only when its name is typed again', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    addSubscriptions(ctx, app.id, app.keyId, 2);
    expect(setSubject(ctx, app.id, 'https://example.com').subject).toBe('https://example.com');
    expect(() => setSubject(ctx, app.id, 'mailto:x@y.invalid')).toThrow(
      expect.objectContaining({ code: 'VAPID_SUBJECT_INVALID_DOMAIN' }),
    );
    expect(() => deleteApp(ctx, app.id, 'nope')).toThrow(
      expect.objectContaining({ code: 'APP_DELETE_UNCONFIRMED' }),
    );
    expect(deleteApp(ctx, app.id, app.name)).toEqual({ deleted: app.name });
    expect(findApp(ctx, app.id)).toBeUndefined();
    expect(ctx.db.prepare('SELECT count(*) AS n FROM app_keys').get()).toEqual({ n: 0 });
    expect(ctx.db.prepare('SELECT count(*) AS n FROM subscriptions').get()).toEqual({ n: 0 });
  });

  it('writes create, import, export and rotate to the audit log with fingerprints, never keys', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const pair = webpush.generateVAPIDKeys();
    importKeyPair(ctx, { app: 'imported.example', ...pair, subject: 'mailto:a@b.example' });
    const rotated = rotateKey(ctx, app.id, { confirmOrphaned: 0 });
    const { text } = exportPrivateKeyText(ctx, app.id, 'json');
    const rows = auditRows(ctx);
    expect(rows.map((row) => row.action)).toEqual(['key.create', 'key.import', 'key.rotate', 'key.export']);
    expect(JSON.parse(rows[2]!.details)).toEqual({
      fingerprint: rotated.app.fingerprint,
      retiredFingerprint: app.fingerprint,
      orphaned: 0,
    });
    expect(JSON.parse(rows[3]!.details)).toMatchObject({
      part: 'private',
      fingerprint: rotated.app.fingerprint,
    });
    const privateKeys = [
      pair.privateKey,
      signingKey(ctx, app.keyId!).privateKey.toString('base64url'),
      (JSON.parse(text) as { privateKey: string }).privateKey,
    ];
    const log = JSON.stringify(rows);
    for (const key of privateKeys) expect(log).not.toContain(key);
  });

  it('stores only sealed keys: the database file never holds a private key in any encoding', () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'sealed.db');
    const ctx = testContext({ dbPath });
    const pair = webpush.generateVAPIDKeys();
    importKeyPair(ctx, { app: 'sealed.example', ...pair, subject: 'mailto:a@b.example' });
    const generated = createTestApp(ctx);
    const secrets = [Buffer.from(pair.privateKey, 'base64url'), signingKey(ctx, generated.keyId!).privateKey];
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    ctx.db.close();
    const bytes = Buffer.concat(fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name))));
    for (const secret of secrets) {
      for (const encoded of [
        secret,
        ...['base64url', 'base64', 'hex'].map((e) => Buffer.from(secret.toString(e as BufferEncoding))),
      ]) {
        expect(bytes.includes(encoded)).toBe(false);
      }
    }

    // The same check can fail: with plaintext storage the raw key is in the file.
    const plainPath = path.join(dir, 'plain.db');
    const plain = testContext({ dbPath: plainPath, keySealer: plaintextSealer() });
    const app = importKeyPair(plain, { app: 'plain.example', ...pair, subject: 'mailto:a@b.example' }).app;
    expect(app.protectedAtRest).toBe(false);
    expect(plain.keyProtection().warning).toMatch(/1 stored private key is NOT protected/);
    plain.db.pragma('wal_checkpoint(TRUNCATE)');
    plain.db.close();
    expect(fs.readFileSync(plainPath).includes(Buffer.from(pair.privateKey, 'base64url'))).toBe(true);
  });
});
