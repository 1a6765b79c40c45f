// The error envelope that crosses IPC and the CLI boundary: a stable code the UI can act on, and a message
// a person can act on. Never put key material or personal data in a message.

export interface ErrorEnvelope {
  code: string;
  message: string;
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** Marks Pushdeck's own errors, also where a bundle holds two copies of this module (instanceof fails there). */
const BRAND = Symbol.for('pushdeck.error');

/** An error the user can do something about; `code` is stable, `message` says what to do. */
export class PushdeckError extends Error {
  readonly code: string;
  readonly [BRAND] = true;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'PushdeckError';
    this.code = code;
  }
}

/**
 * Only Pushdeck's own errors: a SQLite or file-system error also has a string `code`, but its message (paths,
 * SQL) is not written for the window, so the dispatcher answers it as INTERNAL.
 */
export function isPushdeckError(value: unknown): value is PushdeckError {
  return value instanceof Error && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** Rebuilds an Error with its code on the receiving side of an envelope. */
export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.result;
  throw new PushdeckError(envelope.error.code, envelope.error.message);
}
