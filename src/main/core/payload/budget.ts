// The byte budget: how large the largest personalised payload is, against the 3993-byte limit of one
// aes128gcm record and the ~3070 bytes that Firefox on Android accepts.
import {
  FIREFOX_ANDROID_LIMIT_BYTES,
  PAYLOAD_LIMIT_BYTES,
  type MessageSpec,
  type PayloadBudget,
} from '../../../shared/compose.ts';
import { isJson, payloadText } from './build.ts';
import type { Recipient } from './personalise.ts';

export function payloadBytes(message: MessageSpec, recipient: Recipient): number {
  const text = payloadText(message, recipient);
  return text === null ? 0 : Buffer.byteLength(text, 'utf8');
}

export function budgetOf(largestBytes: number, exact: boolean): PayloadBudget {
  return {
    largestBytes,
    exact,
    limit: PAYLOAD_LIMIT_BYTES,
    firefoxAndroidLimit: FIREFOX_ANDROID_LIMIT_BYTES,
  };
}

export interface FieldMaximum {
  /** Recipients without a value. */
  missing: number;
  /** The largest value's size in bytes once inserted: JSON-escaped or as is, as the format inserts it. */
  maxBytes: number;
}

/** Whether this message inserts values JSON-escaped (every format but raw text that is not JSON). */
export function insertsEscaped(message: MessageSpec): boolean {
  return message.format !== 'raw' || isJson(message.raw ?? '');
}

/**
 * An upper bound of the largest payload from per-field maxima, for audiences too large to build every
 * payload: each field takes its longest value, or its default where that is longer and some lack the field.
 * Exact when one recipient holds every longest value.
 */
export function largestPayloadBound(message: MessageSpec, maxima: ReadonlyMap<string, FieldMaximum>): number {
  const longest: Record<string, string> = {};
  for (const [name, max] of maxima) longest[name] = 'x'.repeat(max.maxBytes);
  const build = (fields: Record<string, string>) =>
    payloadBytes(message, { label: fields.label ?? null, fields });
  let fields = { ...longest };
  // Where some recipients lack a field, their default may be the longer text: keep whichever is larger.
  for (const [name, max] of maxima) {
    if (max.missing === 0) continue;
    const without = { ...fields };
    delete without[name];
    if (build(without) > build(fields)) fields = without;
  }
  return build(fields);
}
