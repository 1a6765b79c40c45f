// Replacing an app's key (rotation, or importing another pair): a deliberate act that first says how many
// subscriptions it orphans. Old keys stay, retired, so signingKey can still serve their subscriptions.
import type { ImportResult, RotationPreview, RotationResult } from '../../../shared/apps.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import { parseKeyText } from '../keys/key-file.ts';
import {
  generateVapidKeyPair,
  keyFingerprint,
  validateKeyPair,
  type VapidKeyPair,
} from '../keys/vapid-keys.ts';
import { validateSubject } from '../keys/vapid-subject.ts';
import { createApp, findApp, getApp, setSubject, storeKey } from './apps.ts';

export function rotationPreview(ctx: CoreContext, appRef: string | number): RotationPreview {
  const app = getApp(ctx, appRef);
  const counts = ctx.db
    .prepare(
      `SELECT count(*) AS active,
              count(*) FILTER (WHERE key_id IS NOT NULL AND key_id IS NOT ?) AS on_retired
       FROM subscriptions WHERE app_id = ? AND status = 'active' AND deleted_at IS NULL`,
    )
    .get(app.keyId, app.id) as { active: number; on_retired: number };
  return {
    appId: app.id,
    app: app.name,
    currentFingerprint: app.fingerprint,
    // After the change no active subscription is bound to the new key: every one of them is orphaned.
    orphaned: counts.active,
    onRetiredKeys: counts.on_retired,
  };
}

/**
 * Makes `pair` the app's current key, once the caller has accepted the orphans (`confirm` throws
 * otherwise), and records it. A retired key of the app comes back rather than being stored twice.
 */
function replaceKey(
  ctx: CoreContext,
  appRef: string | number,
  pair: VapidKeyPair,
  change: { action: 'key.rotate' | 'key.import'; confirm: (before: RotationPreview) => void },
): RotationPreview {
  const at = ctx.now();
  const before = ctx.db.transaction(() => {
    const preview = rotationPreview(ctx, appRef);
    change.confirm(preview);
    ctx.db
      .prepare('UPDATE app_keys SET retired_at = ? WHERE app_id = ? AND retired_at IS NULL')
      .run(at, preview.appId);
    const earlier = ctx.db
      .prepare('SELECT id FROM app_keys WHERE app_id = ? AND public_key = ?')
      .get(preview.appId, pair.publicKey) as { id: number } | undefined;
    if (earlier) ctx.db.prepare('UPDATE app_keys SET retired_at = NULL WHERE id = ?').run(earlier.id);
    else storeKey(ctx, preview.appId, pair, at);
    appendAudit(ctx.db, at, {
      action: change.action,
      appId: preview.appId,
      subject: preview.app,
      details: {
        fingerprint: keyFingerprint(pair.publicKey),
        retiredFingerprint: preview.currentFingerprint,
        orphaned: preview.orphaned,
      },
    });
    return preview;
  })();
  return before;
}

function checkConfirmed(preview: RotationPreview, confirmOrphaned: number | undefined, verb: string): void {
  if (confirmOrphaned === preview.orphaned) return;
  throw new PushdeckError(
    confirmOrphaned === undefined ? 'KEY_CHANGE_UNCONFIRMED' : 'KEY_CHANGE_STALE',
    `${verb} the key of ${preview.app} orphans ${preview.orphaned} active subscription${
      preview.orphaned === 1 ? '' : 's'
    }${confirmOrphaned === undefined ? '' : ` (not ${confirmOrphaned} as confirmed: subscribers changed)`}: confirm to go on.`,
  );
}

export function rotateKey(
  ctx: CoreContext,
  appRef: string | number,
  options: { confirmOrphaned: number },
): RotationResult {
  const preview = replaceKey(ctx, appRef, generateVapidKeyPair(), {
    action: 'key.rotate',
    confirm: (before) => checkConfirmed(before, options.confirmOrphaned, 'Rotating'),
  });
  return {
    app: getApp(ctx, preview.appId),
    retiredFingerprint: preview.currentFingerprint,
    orphaned: preview.orphaned,
  };
}

export interface ImportInput {
  app: string;
  publicKey?: string | undefined;
  privateKey?: string | undefined;
  /** A .env file or the JSON of `web-push generate-vapid-keys --json`. */
  text?: string | undefined;
  subject?: string | undefined;
  confirmOrphaned?: number | undefined;
}

/** Imports a pair into an app, creating the app when it does not exist yet. */
export function importKeyPair(ctx: CoreContext, input: ImportInput): ImportResult {
  let publicText = input.publicKey;
  let privateText = input.privateKey;
  let subject = input.subject?.trim() || undefined;
  if (input.text !== undefined) {
    if (publicText || privateText) {
      throw new PushdeckError('KEY_IMPORT_AMBIGUOUS', 'Give either a key file or the two keys, not both.');
    }
    const found = parseKeyText(input.text);
    publicText = found.publicKey;
    privateText = found.privateKey;
    subject ??= found.subject ?? undefined;
  }
  if (!publicText) throw new PushdeckError('VAPID_PUBLIC_KEY_MISSING', 'Give the public key to import.');
  if (!privateText) throw new PushdeckError('VAPID_PRIVATE_KEY_MISSING', 'Give the private key to import.');
  const pair = validateKeyPair(publicText, privateText);

  const existing = findApp(ctx, input.app);
  if (!existing) {
    const app = createApp(ctx, { name: input.app, subject: subject ?? '', keyPair: pair });
    return { app, created: true, orphaned: 0 };
  }
  if (existing.publicKey === pair.publicKey) {
    const app = subject && subject !== existing.subject ? setSubject(ctx, existing.id, subject) : existing;
    return { app, created: false, orphaned: 0 };
  }
  if (subject) validateSubject(subject);
  const preview = replaceKey(ctx, existing.id, pair, {
    action: 'key.import',
    confirm: (before) => {
      if (before.orphaned > 0) checkConfirmed(before, input.confirmOrphaned, 'Importing a pair replaces');
    },
  });
  if (subject && subject !== existing.subject) setSubject(ctx, existing.id, subject);
  return { app: getApp(ctx, existing.id), created: false, orphaned: preview.orphaned };
}
