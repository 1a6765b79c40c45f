// The error envelope that crosses IPC and the CLI boundary: a stable code the UI can act on, and a message
// a person can act on. Never put key material or personal data in a message.

export interface ErrorEnvelope {
  code: string;
  message: string;
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** An error the user can do something about; `code` is stable, `message` says what to do. */
export class PushdeckError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'PushdeckError';
    this.code = code;
  }
}

export function isPushdeckError(value: unknown): value is PushdeckError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string';
}

/** Rebuilds an Error with its code on the receiving side of an envelope. */
export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.result;
  throw new PushdeckError(envelope.error.code, envelope.error.message);
}
