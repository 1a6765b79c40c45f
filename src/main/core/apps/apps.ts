// Apps (one website each) and their key pairs: create, find, and hand the sender the keys it signs with.
import type { AppSummary } from '../../../shared/apps.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import type { SealedWith } from '../keys/sealer.ts';
import { generateVapidKeyPair, keyFingerprint, type VapidKeyPair } from '../keys/vapid-keys.ts';
import { validateSubject } from '../keys/vapid-subject.ts';
import { deliverySettingsOf } from './delivery-settings.ts';

interface AppRow {
  id: number;
  name: string;
  subject: string;
  created_at: number;
  key_id: number | null;
  public_key: string | null;
  protection: SealedWith | null;
  fingerprint: string | null;
  key_created_at: number | null;
  retired_keys: number;
  default_timezone: string | null;
  quiet_hours: string | null;
  cap_24h: number | null;
  cap_7d: number | null;
  alerts_ignore_quiet_hours: number;
}

const appSelect = `
  SELECT a.id, a.name, a.subject, a.created_at, a.default_timezone, a.quiet_hours, a.cap_24h, a.cap_7d,
         a.alerts_ignore_quiet_hours,
         k.id AS key_id, k.public_key, k.protection, k.fingerprint, k.created_at AS key_created_at,
         (SELECT count(*) FROM app_keys r WHERE r.app_id = a.id AND r.retired_at IS NOT NULL) AS retired_keys
  FROM apps a LEFT JOIN app_keys k ON k.app_id = a.id AND k.retired_at IS NULL`;

function toSummary(ctx: CoreContext, row: AppRow): AppSummary {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    createdAt: row.created_at,
    publicKey: row.public_key,
    keyId: row.key_id,
    keyCreatedAt: row.key_created_at,
    protection: row.protection,
    protectedAtRest: row.protection ? ctx.keySealer.protects(row.protection) : null,
    fingerprint: row.fingerprint,
    retiredKeys: row.retired_keys,
    delivery: deliverySettingsOf(row),
  };
}

export function validateAppName(raw: string): string {
  const name = raw.trim();
  if (name === '' || name.length > 80) {
    throw new PushdeckError(
      'APP_NAME_INVALID',
      'An app name must be 1 to 80 characters, like "example.com".',
    );
  }
  return name;
}

export function listApps(ctx: CoreContext): AppSummary[] {
  return (ctx.db.prepare(`${appSelect} ORDER BY a.name`).all() as AppRow[]).map((row) => toSummary(ctx, row));
}

export function findApp(ctx: CoreContext, nameOrId: string | number): AppSummary | undefined {
  const row =
    typeof nameOrId === 'number'
      ? (ctx.db.prepare(`${appSelect} WHERE a.id = ?`).get(nameOrId) as AppRow | undefined)
      : (ctx.db.prepare(`${appSelect} WHERE a.name = ?`).get(nameOrId.trim()) as AppRow | undefined);
  return row && toSummary(ctx, row);
}

export function getApp(ctx: CoreContext, nameOrId: string | number): AppSummary {
  const app = findApp(ctx, nameOrId);
  if (!app) {
    throw new PushdeckError(
      'APP_NOT_FOUND',
      `No app named ${String(nameOrId)}. Create it first (pushdeck app create).`,
    );
  }
  return app;
}

/** Stores a key pair as the app's current key, sealed by the context's sealer; returns the key id. */
export function storeKey(ctx: CoreContext, appId: number, pair: VapidKeyPair, at: number): number {
  const { sealed, protection } = ctx.keySealer.seal(pair.privateKey);
  const result = ctx.db
    .prepare(
      `INSERT INTO app_keys (app_id, public_key, private_key, protection, fingerprint, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(appId, pair.publicKey, sealed, protection, keyFingerprint(pair.publicKey), at);
  return Number(result.lastInsertRowid);
}

export function createApp(
  ctx: CoreContext,
  input: { name: string; subject: string; keyPair?: VapidKeyPair },
): AppSummary {
  const name = validateAppName(input.name);
  const subject = validateSubject(input.subject);
  if (findApp(ctx, name)) throw new PushdeckError('APP_EXISTS', `An app named ${name} already exists.`);
  const pair = input.keyPair ?? generateVapidKeyPair();
  const at = ctx.now();
  const id = ctx.db.transaction(() => {
    const appId = Number(
      ctx.db
        .prepare('INSERT INTO apps (name, subject, created_at, updated_at) VALUES (?, ?, ?, ?)')
        .run(name, subject, at, at).lastInsertRowid,
    );
    storeKey(ctx, appId, pair, at);
    appendAudit(ctx.db, at, {
      action: input.keyPair ? 'key.import' : 'key.create',
      appId,
      subject: name,
      details: { fingerprint: keyFingerprint(pair.publicKey) },
    });
    return appId;
  })();
  return getApp(ctx, id);
}

export interface SigningKey {
  keyId: number;
  publicKey: string;
  privateKey: Buffer;
}

/** The unsealed key pair with this id, for signing VAPID JWTs. Never leaves the main process. */
export function signingKey(ctx: CoreContext, keyId: number): SigningKey {
  const row = ctx.db
    .prepare('SELECT id, public_key, private_key, protection FROM app_keys WHERE id = ?')
    .get(keyId) as
    { id: number; public_key: string; private_key: Buffer; protection: SealedWith } | undefined;
  if (!row) throw new PushdeckError('KEY_NOT_FOUND', `No key with id ${keyId}.`);
  return {
    keyId: row.id,
    publicKey: row.public_key,
    privateKey: ctx.keySealer.open(row.private_key, row.protection),
  };
}

export function setSubject(ctx: CoreContext, appRef: string | number, rawSubject: string): AppSummary {
  const app = getApp(ctx, appRef);
  const subject = validateSubject(rawSubject);
  const at = ctx.now();
  ctx.db.transaction(() => {
    ctx.db.prepare('UPDATE apps SET subject = ?, updated_at = ? WHERE id = ?').run(subject, at, app.id);
    appendAudit(ctx.db, at, { action: 'app.subject', appId: app.id, subject: app.name });
  })();
  return getApp(ctx, app.id);
}

/** Deletes an app with its keys, subscribers and campaigns; the caller repeats the name to confirm. */
export function deleteApp(
  ctx: CoreContext,
  appRef: string | number,
  confirmName: string,
): { deleted: string } {
  const app = getApp(ctx, appRef);
  if (confirmName.trim().toLowerCase() !== app.name.toLowerCase()) {
    throw new PushdeckError(
      'APP_DELETE_UNCONFIRMED',
      `Type the app's name (${app.name}) to confirm: its keys and subscribers are deleted for good.`,
    );
  }
  const fingerprints = (
    ctx.db.prepare('SELECT fingerprint FROM app_keys WHERE app_id = ? ORDER BY id').all(app.id) as {
      fingerprint: string;
    }[]
  ).map((row) => row.fingerprint);
  const at = ctx.now();
  ctx.db.transaction(() => {
    ctx.db.prepare('DELETE FROM apps WHERE id = ?').run(app.id);
    appendAudit(ctx.db, at, {
      action: 'app.delete',
      appId: app.id,
      subject: app.name,
      details: { fingerprints },
    });
  })();
  return { deleted: app.name };
}
