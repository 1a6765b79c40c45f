// What every core service is given instead of importing it: the database, a clock, an event sink and the
// facts of the runtime. The Electron app, the CLI and the tests each build one.
import type { EventName, EventPayload } from '../../shared/contract.ts';
import { PushdeckError } from '../../shared/errors.ts';
import type { KeyProtectionStatus } from '../../shared/doctor.ts';
import type { Db } from './db/database.ts';
import type { FileTokens } from './file-tokens.ts';
import type { KeySealer } from './keys/sealer.ts';

export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export interface RuntimeInfo {
  pushdeckVersion: string;
  electronVersion: string | null;
}

export interface CoreContext {
  db: Db;
  dbPath: string;
  events: EventSink;
  now: () => number;
  runtime: RuntimeInfo;
  keyProtection: () => KeyProtectionStatus;
  /** Seals and opens private keys at rest. */
  keySealer: KeySealer;
  /** Asks the user where to save a file (the desktop's save dialog); absent where nobody can be asked. */
  chooseSaveFile?: SaveFileChooser;
  /** Opens one of the app's own 127.0.0.1 pages in the system browser (the desktop's shell); absent elsewhere. */
  openExternal?: (url: string) => Promise<void>;
  /** The files the window may use, by token (a drop or its file input, registered by the preload). */
  files: FileTokens;
}

export type SaveFileChooser = (options: { title: string; defaultName: string }) => Promise<string | null>;

/** The save dialog, or `code` where nobody can be asked (the CLI, the tests): `command` is the way there. */
export function saveFileChooser(ctx: CoreContext, code: string, command: string): SaveFileChooser {
  if (!ctx.chooseSaveFile) {
    throw new PushdeckError(code, `Saving files is not available here; use ${command}.`);
  }
  return ctx.chooseSaveFile;
}

export const silentEvents: EventSink = { emit() {} };
