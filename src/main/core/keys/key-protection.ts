// How stored private keys are protected, and — in the desktop app — switching between the system keychain
// and a passphrase (which the CLI can also use), re-sealing the stored keys. The choice is kept in settings;
// the passphrase only in memory.
import type { KeyProtectionChoice, KeyProtectionInfo, KeyStorage } from '../../../shared/apps.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import type { KeyProtectionStatus } from '../../../shared/doctor.ts';
import type { Db } from '../db/database.ts';
import { passphraseSealer, type KeySealer, type ProtectionControl, type SealedWith } from './sealer.ts';

const SETTING = 'keys.protection';
export const MIN_PASSPHRASE_LENGTH = 8;

/** How many stored keys each kind of protection seals. */
const keysByProtection = (db: Db) =>
  db.prepare('SELECT protection, count(*) AS n FROM app_keys GROUP BY protection').all() as {
    protection: SealedWith;
    n: number;
  }[];

/** The sealer's status, plus a warning when stored keys are not protected whatever the sealer says. */
export function protectionStatus(db: Db, sealer: KeySealer): KeyProtectionStatus {
  const status = sealer.status();
  const rows = keysByProtection(db);
  const exposed = rows.filter((row) => !sealer.protects(row.protection)).reduce((sum, row) => sum + row.n, 0);
  if (exposed === 0) return status;
  const warning = `${exposed} stored private key${exposed === 1 ? ' is' : 's are'} NOT protected: anyone who can read the database file can use ${exposed === 1 ? 'it' : 'them'}.`;
  return { ...status, warning: status.warning ? `${status.warning} ${warning}` : warning };
}

export function keyProtectionInfo(ctx: CoreContext): KeyProtectionInfo {
  const keysByStorage: Record<KeyStorage, number> = { 'safe-storage': 0, passphrase: 0, none: 0 };
  for (const row of keysByProtection(ctx.db)) keysByStorage[row.protection] = row.n;
  const control = ctx.keySealer.control;
  const status = ctx.keyProtection();
  return {
    status,
    choice: control ? control.choice() : null,
    keychainAvailable: control ? control.keychainAvailable() : false,
    unlocked: control ? control.unlocked() : status.mode !== 'locked',
    keysByStorage,
  };
}

function controlOf(ctx: CoreContext): ProtectionControl {
  const control = ctx.keySealer.control;
  if (!control) {
    throw new PushdeckError(
      'KEYS_PROTECTION_FIXED',
      'Here key protection comes from the environment: PUSHDECK_PASSPHRASE, or PUSHDECK_INSECURE_KEYS=1.',
    );
  }
  return control;
}

interface OpenedKey {
  id: number;
  privateKey: Buffer;
}

/** Stores each opened key sealed by `sealer` and wipes its plaintext; inside the caller's transaction. */
function writeSealed(db: Db, keys: OpenedKey[], sealer: KeySealer): void {
  const update = db.prepare('UPDATE app_keys SET private_key = ?, protection = ? WHERE id = ?');
  for (const key of keys) {
    const { sealed, protection } = sealer.seal(key.privateKey);
    update.run(sealed, protection, key.id);
    key.privateKey.fill(0);
  }
}

/** Checks a passphrase against one stored passphrase-sealed key, when there is one. */
function checkPassphrase(ctx: CoreContext, passphrase: string): void {
  const row = ctx.db
    .prepare("SELECT private_key FROM app_keys WHERE protection = 'passphrase' LIMIT 1")
    .get() as { private_key: Buffer } | undefined;
  if (row) passphraseSealer(passphrase).open(row.private_key, 'passphrase');
}

/** At start: the saved choice. A saved passphrase choice leaves keys locked until unlockKeys. */
export function restoreKeyProtection(ctx: CoreContext): void {
  const control = ctx.keySealer.control;
  if (!control) return;
  const row = ctx.db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING) as
    { value: string } | undefined;
  if (row?.value === 'passphrase') control.choose('passphrase');
}

export function unlockKeys(ctx: CoreContext, passphrase: string): KeyProtectionInfo {
  const control = controlOf(ctx);
  if (control.choice() !== 'passphrase') {
    throw new PushdeckError(
      'KEYS_NOT_PASSPHRASE',
      'Keys are protected by the system keychain: nothing to unlock.',
    );
  }
  checkPassphrase(ctx, passphrase);
  control.choose('passphrase', passphrase);
  return keyProtectionInfo(ctx);
}

export function setKeyProtection(
  ctx: CoreContext,
  choice: KeyProtectionChoice,
  passphrase?: string,
): KeyProtectionInfo & { resealed: number; notResealed: number } {
  const control = controlOf(ctx);
  if (choice === 'passphrase') {
    if (!passphrase || passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new PushdeckError(
        'KEYS_PASSPHRASE_TOO_SHORT',
        `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      );
    }
    checkPassphrase(ctx, passphrase);
  }
  // Open what the current protection can open, switch, then seal it again the new way.
  const rows = ctx.db.prepare('SELECT id, private_key, protection FROM app_keys').all() as {
    id: number;
    private_key: Buffer;
    protection: SealedWith;
  }[];
  const opened: OpenedKey[] = [];
  for (const row of rows) {
    try {
      opened.push({ id: row.id, privateKey: ctx.keySealer.open(row.private_key, row.protection) });
    } catch {
      // Stays as it is: sealed in a way this process cannot open now.
    }
  }
  control.choose(choice, passphrase);
  const at = ctx.now();
  ctx.db.transaction(() => {
    writeSealed(ctx.db, opened, ctx.keySealer);
    ctx.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(SETTING, choice);
    appendAudit(ctx.db, at, {
      actor: 'app',
      action: 'keys.protection',
      details: { choice, resealed: opened.length, notResealed: rows.length - opened.length },
    });
  })();
  return { ...keyProtectionInfo(ctx), resealed: opened.length, notResealed: rows.length - opened.length };
}

/**
 * Re-seals every passphrase-sealed key with a new passphrase, in one transaction. Every one of them must
 * open with the current passphrase, or nothing changes: a key left under another passphrase would be one the
 * user no longer knows how to open. In the desktop app the new passphrase also replaces the one in memory.
 */
export function changePassphrase(
  ctx: CoreContext,
  current: string,
  next: string,
): KeyProtectionInfo & { resealed: number } {
  if (next.length < MIN_PASSPHRASE_LENGTH) {
    throw new PushdeckError(
      'KEYS_PASSPHRASE_TOO_SHORT',
      `Choose a new passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    );
  }
  if (next.normalize('NFC') === current.normalize('NFC')) {
    throw new PushdeckError(
      'KEYS_PASSPHRASE_UNCHANGED',
      'The new passphrase is the same as the current one.',
    );
  }
  const control = ctx.keySealer.control;
  const rows = ctx.db
    .prepare("SELECT id, private_key FROM app_keys WHERE protection = 'passphrase' ORDER BY id")
    .all() as { id: number; private_key: Buffer }[];
  if (rows.length === 0 && !(control && control.choice() === 'passphrase')) {
    throw new PushdeckError(
      'KEYS_NO_PASSPHRASE_KEYS',
      'No stored key is sealed with a passphrase: nothing to change.',
    );
  }
  const currentSealer = passphraseSealer(current);
  const opened: OpenedKey[] = [];
  let wrong = 0;
  for (const row of rows) {
    try {
      opened.push({ id: row.id, privateKey: currentSealer.open(row.private_key, 'passphrase') });
    } catch {
      wrong += 1;
    }
  }
  if (wrong > 0) {
    for (const key of opened) key.privateKey.fill(0);
    throw new PushdeckError(
      'KEYS_WRONG_PASSPHRASE',
      wrong === rows.length
        ? 'The current passphrase does not open the stored keys: nothing was changed.'
        : `The current passphrase opens ${opened.length} of the ${rows.length} passphrase-sealed keys (the others were sealed with another one): nothing was changed.`,
    );
  }
  const at = ctx.now();
  ctx.db.transaction(() => {
    writeSealed(ctx.db, opened, passphraseSealer(next));
    appendAudit(ctx.db, at, { action: 'keys.passphrase', details: { resealed: opened.length } });
  })();
  if (control && control.choice() === 'passphrase') control.choose('passphrase', next);
  return { ...keyProtectionInfo(ctx), resealed: opened.length };
}
