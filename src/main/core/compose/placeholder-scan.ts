// Measures a message against its audience: the largest personalised payload and, per placeholder, how many
// recipients have no value for it. Small audiences are measured exactly, payload by payload; large ones
// from the longest values imports recorded (an upper bound of the largest payload) and a spread sample.
import type { AudienceFilter, MessageSpec, PayloadBudget, PlaceholderUse } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import {
  budgetOf,
  insertsEscaped,
  largestPayloadBound,
  payloadBytes,
  type FieldMaximum,
} from '../payload/budget.ts';
import { messagePlaceholders, recipientValue } from '../payload/personalise.ts';
import { fieldLengths, type FieldLength } from '../subscriptions/field-lengths.ts';
import { audienceRecipients, audienceSql, parseFields } from './audience.ts';

/** Up to this many recipients, every payload is built and measured. */
export const EXACT_SCAN_LIMIT = 5_000;

export interface AudienceMeasure {
  budget: PayloadBudget;
  placeholders: PlaceholderUse[];
}

export function measureAudience(
  ctx: CoreContext,
  appId: number,
  message: MessageSpec,
  audience: AudienceFilter,
  recipients: number,
): AudienceMeasure {
  const names = messagePlaceholders(message);
  if (names.length === 0) {
    return { budget: budgetOf(payloadBytes(message, { label: null, fields: null }), true), placeholders: [] };
  }
  if (recipients <= EXACT_SCAN_LIMIT) return exactScan(ctx, appId, message, audience, names);
  // The budget from the longest values that imports recorded (field-lengths.ts): an upper bound over the
  // whole app, read in a millisecond, where a pass over a million subscriptions took seconds.
  const known = fieldLengths(ctx.db, appId);
  const escaped = insertsEscaped(message);
  const maxima = new Map<string, FieldMaximum>(
    names.map(({ name }) => {
      const length = known.get(name);
      // missing > 0: the bound weighs each placeholder's default against its longest value.
      return [
        name,
        { missing: 1, maxBytes: length ? (escaped ? length.maxEscapedBytes : length.maxBytes) : 0 },
      ];
    }),
  );
  const missing = estimateMissing(
    ctx,
    appId,
    audience,
    names.map((n) => n.name),
    recipients,
    known,
  );
  return {
    budget: budgetOf(largestPayloadBound(message, maxima), false),
    placeholders: names.map((n) => ({
      ...n,
      missing: missing.get(n.name)!,
      // A name nobody has is known for certain; any other count is the sample's.
      ...(known.has(n.name) ? { estimated: true } : {}),
    })),
  };
}

function exactScan(
  ctx: CoreContext,
  appId: number,
  message: MessageSpec,
  audience: AudienceFilter,
  names: Array<{ name: string; hasDefault: boolean }>,
): AudienceMeasure {
  const missing = new Map(names.map((n) => [n.name, 0]));
  let largest = 0;
  let seen = 0;
  for (const recipient of audienceRecipients(ctx, appId, audience)) {
    seen++;
    largest = Math.max(largest, payloadBytes(message, recipient));
    for (const { name } of names) {
      if (recipientValue(recipient, name) === undefined) missing.set(name, missing.get(name)! + 1);
    }
  }
  // With nobody in the audience, measure the message as a recipient without any field would get it.
  if (seen === 0) largest = payloadBytes(message, { label: null, fields: null });
  return {
    budget: budgetOf(largest, true),
    placeholders: names.map((n) => ({ ...n, missing: missing.get(n.name)! })),
  };
}

/** Spots spread over the list's ids, and rows read from each: an estimate of who lacks a field. */
const SAMPLE_SPOTS = 50;
const ROWS_PER_SPOT = 100;

/**
 * Per placeholder, about how many recipients lack a value, from up to 5,000 recipients read at 50 spots spread
 * over the list (each one index seek, so a few milliseconds at a million, where counting them all parsed
 * every subscription's fields: seconds). A name no subscription of the app ever had is lacked by everyone.
 */
function estimateMissing(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  names: string[],
  recipients: number,
  known: ReadonlyMap<string, FieldLength>,
): Map<string, number> {
  const { where, params } = audienceSql(appId, audience);
  // The audience's first and last ids, each one seek in id order (min(id) by app went through the endpoint
  // index: a scan of it).
  const end = (order: 'ASC' | 'DESC') =>
    ctx.db
      .prepare(`SELECT s.id FROM subscriptions s WHERE ${where} ORDER BY s.id ${order} LIMIT 1`)
      .pluck()
      .get(...params) as number | undefined;
  const low = end('ASC') ?? null;
  const high = end('DESC') ?? null;
  const spot = ctx.db
    .prepare(
      `SELECT s.id, s.label, s.fields FROM subscriptions s WHERE ${where} AND s.id >= ? ORDER BY s.id LIMIT ${ROWS_PER_SPOT}`,
    )
    .raw();
  const lacking = new Map(names.map((name) => [name, 0]));
  let sampled = 0;
  let next = low ?? 0;
  for (let i = 0; i < SAMPLE_SPOTS && low !== null && high !== null; i++) {
    const from = Math.max(next, low + Math.floor(((high - low + 1) * i) / SAMPLE_SPOTS));
    const rows = spot.all(...params, from) as Array<[number, string | null, string | null]>;
    if (rows.length === 0) break;
    for (const [, label, fields] of rows) {
      const recipient = { label, fields: parseFields(fields) };
      for (const name of names) {
        if (recipientValue(recipient, name) === undefined) lacking.set(name, lacking.get(name)! + 1);
      }
    }
    sampled += rows.length;
    next = rows[rows.length - 1]![0] + 1;
  }
  return new Map(
    names.map((name) => {
      if (!known.has(name)) return [name, recipients];
      const share = sampled === 0 ? 0 : lacking.get(name)! / sampled;
      // Some of the app's subscriptions have it: an estimate never says nobody in the audience does.
      return [name, Math.min(Math.round(share * recipients), recipients - 1)];
    }),
  );
}
