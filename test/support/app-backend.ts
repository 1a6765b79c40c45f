// The main process's side of a test window: the real handler table and query thread over a real SQLite file,
// the same table and dispatcher that ipc.ts registers with Electron, with the preload's file registration.
// No browser here: the e2e harness (test/e2e/harness.ts) wires a window to it in the test's process, and
// bench:ui runs it in a process of its own (test/bench/ui-app.ts), as Electron's main process is.
import type { EventName, EventPayload } from '../../src/shared/contract.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { registerDroppedFile } from '../../src/main/core/file-tokens.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';
import { dispatch } from '../../src/main/core/dispatch/dispatcher.ts';
import { startQueryThread } from '../../src/main/core/query-thread.ts';
import { createHandlers, type HandlerOptions } from '../../src/main/core/dispatch/handler-table.ts';

/**
 * What stands behind the window's `window.api`: the real handler table in this process (openApp), or in a
 * process of its own, as Electron's main process is (bench:ui, test/bench/ui-app.ts).
 */
export interface WindowBackend {
  /** A call from the window: the dispatcher's envelope. */
  invoke(channel: unknown, input: unknown): Promise<unknown>;
  /** The preload's registration of a dropped file's path: `{ ok, result | error }`. */
  registerFile(file: unknown): unknown;
  /** Given the function that forwards an event to the window, once the window exists. */
  onEvent(forward: (event: string, payload: unknown) => void): void;
}

export interface BackendOptions {
  dbPath: string;
  /**
   * Extra context options, e.g. a key-protection status, or a test double of main's save dialog
   * (chooseSaveFile).
   */
  context?: Partial<Parameters<typeof openContext>[0]>;
  /** Sees each call from the window, with the handler table's answer still to be asked for: a test can hold one. */
  intercept?: (channel: unknown, answer: () => Promise<unknown>) => Promise<unknown>;
  /** Options of the handler table, e.g. the CA of an https push service for the window's sends. */
  handlers?: Omit<HandlerOptions, 'queryThread'>;
  /**
   * false: every channel is served on the test's own thread. A test with an injected clock (context.now)
   * needs it, as the query thread's worker reads the real clock. Default true, as in the app.
   */
  queryThread?: boolean;
}

/** The real handler table over a real SQLite file, in this process: a window's backend, and its context. */
export function startBackend(options: BackendOptions): {
  backend: WindowBackend;
  ctx: CoreContext;
  close(): Promise<void>;
} {
  let forward: ((event: string, payload: unknown) => void) | null = null;
  const ctx = openContext({
    dbPath: options.dbPath,
    runtime: { pushdeckVersion: 'e2e', electronVersion: null },
    keySealer: passphraseSealer('e2e passphrase'),
    events: {
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        forward?.(event, payload);
      },
    },
    ...options.context,
  });
  // As the desktop app does: the composer's channels and the list's reads on their own thread.
  const queryThread = options.queryThread === false ? null : startQueryThread(ctx);
  const handlers = createHandlers(ctx, { ...options.handlers, ...(queryThread ? { queryThread } : {}) });
  const backend: WindowBackend = {
    invoke(channel, input) {
      const answer = () => dispatch(handlers, channel, input);
      return options.intercept ? options.intercept(channel, answer) : answer();
    },
    // Into the same token registry main uses.
    registerFile(file) {
      try {
        return { ok: true, result: registerDroppedFile(ctx.files, file) };
      } catch (error) {
        return { ok: false, error: { code: 'FILE_NOT_READABLE', message: (error as Error).message } };
      }
    },
    onEvent(f) {
      forward = f;
    },
  };
  return {
    backend,
    ctx,
    async close() {
      await queryThread?.close();
      ctx.db.close();
    },
  };
}
