// Exporting an app's keys: the public key as text, and — only when asked explicitly — the
// private key, as .env or JSON text that `keys import` reads back. Every export is in the audit log.
import fs from 'node:fs';
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import { saveFileChooser, type CoreContext } from '../context.ts';
import { getApp, signingKey } from './apps.ts';

export type KeyExportFormat = 'env' | 'json';

function currentKey(ctx: CoreContext, appRef: string | number) {
  const app = getApp(ctx, appRef);
  if (app.keyId === null || app.publicKey === null || app.fingerprint === null) {
    throw new PushdeckError('APP_HAS_NO_KEY', `${app.name} has no key pair. Import or rotate one.`);
  }
  return { app, keyId: app.keyId, publicKey: app.publicKey, fingerprint: app.fingerprint };
}

function audit(
  ctx: CoreContext,
  key: ReturnType<typeof currentKey>,
  part: 'public' | 'private',
  format: string,
): void {
  appendAudit(ctx.db, ctx.now(), {
    action: 'key.export',
    appId: key.app.id,
    subject: key.app.name,
    details: { fingerprint: key.fingerprint, part, format },
  });
}

/** The public half as text to save or print (the CLI's `keys export`), recorded in the audit log. */
export function exportPublicKeyText(
  ctx: CoreContext,
  appRef: string | number,
  format: KeyExportFormat,
): string {
  const key = currentKey(ctx, appRef);
  audit(ctx, key, 'public', format);
  return format === 'json'
    ? JSON.stringify(
        {
          app: key.app.name,
          publicKey: key.publicKey,
          subject: key.app.subject,
          fingerprint: key.fingerprint,
        },
        null,
        2,
      )
    : `VAPID_PUBLIC_KEY=${key.publicKey}\nVAPID_SUBJECT=${key.app.subject}`;
}

/** The whole pair as text. Main process only: never return this over IPC. */
export function exportPrivateKeyText(
  ctx: CoreContext,
  appRef: string | number,
  format: KeyExportFormat,
): { text: string; fingerprint: string; app: string } {
  const key = currentKey(ctx, appRef);
  const privateKey = signingKey(ctx, key.keyId).privateKey.toString('base64url');
  audit(ctx, key, 'private', format);
  const text =
    format === 'json'
      ? JSON.stringify({ publicKey: key.publicKey, privateKey, subject: key.app.subject }, null, 2)
      : `VAPID_PUBLIC_KEY=${key.publicKey}\nVAPID_PRIVATE_KEY=${privateKey}\nVAPID_SUBJECT=${key.app.subject}`;
  return { text: `${text}\n`, fingerprint: key.fingerprint, app: key.app.name };
}

/** Writes the pair to a file only its owner can read. */
export function writeKeyFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/**
 * The command line's export (keys.exportText, a CLI-only channel): the text, or with `out` the file written
 * here, so that the pair is not handed back when it goes to a file.
 */
export function exportKeyText(
  ctx: CoreContext,
  request: {
    app: string | number;
    part: 'public' | 'private';
    format: KeyExportFormat;
    out?: string | undefined;
  },
): { text: string | null; path: string | null } {
  const text =
    request.part === 'private'
      ? exportPrivateKeyText(ctx, request.app, request.format).text
      : `${exportPublicKeyText(ctx, request.app, request.format)}\n`;
  if (request.out === undefined) return { text, path: null };
  writeKeyFile(request.out, text);
  return { text: null, path: request.out };
}

/** The desktop flow: main asks where to save (ctx.chooseSaveFile) and writes the file itself. */
export async function savePrivateKeyFile(
  ctx: CoreContext,
  appId: number,
  format: KeyExportFormat,
): Promise<{ saved: boolean; path: string | null; fingerprint: string }> {
  const key = currentKey(ctx, appId);
  const chooseSaveFile = saveFileChooser(ctx, 'KEY_EXPORT_UNAVAILABLE', 'pushdeck keys export');
  const safeName = key.app.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  const file = await chooseSaveFile({
    title: `Save the private key of ${key.app.name}`,
    defaultName: `${safeName}-vapid.${format === 'json' ? 'json' : 'env'}`,
  });
  if (!file) return { saved: false, path: null, fingerprint: key.fingerprint };
  const { text } = exportPrivateKeyText(ctx, appId, format);
  try {
    writeKeyFile(file, text);
  } catch (error) {
    throw new PushdeckError('KEY_EXPORT_WRITE_FAILED', `Cannot write ${file}: ${(error as Error).message}`);
  }
  return { saved: true, path: file, fingerprint: key.fingerprint };
}
