// Builds a CoreContext over a database file: the one way the CLI, the app and the tests open Pushdeck.
import type { KeyProtectionStatus } from '../../shared/doctor.ts';
import { silentEvents, type CoreContext, type EventSink, type RuntimeInfo } from './context.ts';
import { openDatabase } from './db/database.ts';

export interface ContextOptions {
  dbPath: string;
  runtime: RuntimeInfo;
  events?: EventSink;
  now?: () => number;
  keyProtection?: () => KeyProtectionStatus;
  mustExist?: boolean;
}

export function passphraseProtectionStatus(env: NodeJS.ProcessEnv = process.env): KeyProtectionStatus {
  if (env.PUSHDECK_PASSPHRASE) {
    return {
      mode: 'passphrase',
      description:
        'Private keys are encrypted with a key derived from PUSHDECK_PASSPHRASE (scrypt + AES-256-GCM).',
      warning: null,
    };
  }
  return {
    mode: 'locked',
    description: 'No PUSHDECK_PASSPHRASE is set: encrypted private keys cannot be read or written from here.',
    warning: 'Set PUSHDECK_PASSPHRASE to create, import or use keys headless.',
  };
}

export function openContext(options: ContextOptions): CoreContext {
  const db = openDatabase(options.dbPath, { mustExist: options.mustExist ?? false });
  return {
    db,
    dbPath: options.dbPath,
    events: options.events ?? silentEvents,
    now: options.now ?? Date.now,
    runtime: options.runtime,
    keyProtection: options.keyProtection ?? (() => passphraseProtectionStatus()),
  };
}
