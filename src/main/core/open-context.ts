// Builds a CoreContext over a database file: the one way the CLI, the app and the tests open Pushdeck.
import {
  silentEvents,
  type CoreContext,
  type EventSink,
  type RuntimeInfo,
  type SaveFileChooser,
} from './context.ts';
import { FileTokens } from './file-tokens.ts';
import { protectionStatus } from './keys/key-protection.ts';
import { openDatabase } from './db/database.ts';
import { sealerFromEnv, type KeySealer } from './keys/sealer.ts';

export interface ContextOptions {
  dbPath: string;
  runtime: RuntimeInfo;
  events?: EventSink;
  now?: () => number;
  keySealer?: KeySealer;
  chooseSaveFile?: SaveFileChooser;
  openExternal?: CoreContext['openExternal'];
  mustExist?: boolean;
  /**
   * Run quick_check when the file may be damaged (default). A process's threads open the file after its
   * main connection did, which checked it: at a million subscriptions each check reads the whole file again
   * (seconds), and main's own writes since (a WAL) would make every thread check.
   */
  check?: boolean;
  /** The connection's page cache (database.ts THREAD_CACHE_KIB for a thread's). */
  cacheKib?: number;
}

export function openContext(options: ContextOptions): CoreContext {
  // The one opening of a process (the app, a CLI command) checks a file that may be damaged; its threads
  // open it after that.
  const db = openDatabase(options.dbPath, {
    mustExist: options.mustExist ?? false,
    check: options.check ?? true,
    cacheKib: options.cacheKib,
  });
  const keySealer = options.keySealer ?? sealerFromEnv();
  return {
    db,
    dbPath: options.dbPath,
    events: options.events ?? silentEvents,
    now: options.now ?? Date.now,
    runtime: options.runtime,
    keySealer,
    keyProtection: () => protectionStatus(db, keySealer),
    files: new FileTokens(),
    ...(options.chooseSaveFile ? { chooseSaveFile: options.chooseSaveFile } : {}),
    ...(options.openExternal ? { openExternal: options.openExternal } : {}),
  };
}
