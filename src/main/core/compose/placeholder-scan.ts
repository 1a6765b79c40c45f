// Measures a message against its audience: the largest personalised payload and, per placeholder, how many
// recipients have no value for it. Small audiences are measured exactly, payload by payload; large ones
// from per-field maxima in one SQL pass (an upper bound of the largest payload).
import type { AudienceFilter, MessageSpec, PayloadBudget, PlaceholderUse } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import {
  budgetOf,
  insertsEscaped,
  largestPayloadBound,
  payloadBytes,
  type FieldMaximum,
} from '../payload/budget.ts';
import { LABEL_FIELD, messagePlaceholders, recipientValue } from '../payload/personalise.ts';
import { audienceStamp } from './audience-index.ts';
import { audienceRecipients, audienceSql } from './audience.ts';

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
  const maxima = cachedFieldMaxima(
    ctx,
    appId,
    audience,
    names.map((n) => n.name),
    insertsEscaped(message),
  );
  return {
    budget: budgetOf(largestPayloadBound(message, maxima), false),
    placeholders: names.map((n) => ({ ...n, missing: maxima.get(n.name)!.missing })),
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

// The maxima depend on the audience and the placeholder names, not on the text around them: while someone
// types, the one-second pass over a million subscriptions runs once, not per keystroke.
const maximaCache = new Map<string, Map<string, FieldMaximum>>();

function cachedFieldMaxima(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  names: string[],
  escaped: boolean,
): Map<string, FieldMaximum> {
  const key = JSON.stringify([ctx.dbPath, audienceStamp(ctx), appId, audience, names, escaped]);
  let maxima = maximaCache.get(key);
  if (!maxima) {
    maxima = fieldMaxima(ctx, appId, audience, names, escaped);
    if (maximaCache.size >= 32) maximaCache.clear();
    maximaCache.set(key, maxima);
  }
  return maxima;
}

/** One pass over the audience: per field, recipients without a value and the longest value in bytes. */
function fieldMaxima(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  names: string[],
  escaped: boolean,
): Map<string, FieldMaximum> {
  const { where, params } = audienceSql(appId, audience);
  const columns: string[] = [];
  names.forEach((name, i) => {
    // Safe to inline: placeholder names are [A-Za-z0-9_-] only (personalise.ts).
    const value = name === LABEL_FIELD ? 's.label' : `json_extract(s.fields, '$."${name}"')`;
    // json_quote escapes as JSON.stringify does, plus the two quotes it adds.
    const size = escaped
      ? `length(CAST(json_quote(${value}) AS BLOB)) - 2`
      : `length(CAST(${value} AS BLOB))`;
    columns.push(
      `SUM(COALESCE(${value}, '') = '') AS m${i}`,
      `COALESCE(MAX(CASE WHEN COALESCE(${value}, '') = '' THEN 0 ELSE ${size} END), 0) AS l${i}`,
    );
  });
  const row = ctx.db
    .prepare(`SELECT ${columns.join(', ')} FROM subscriptions s WHERE ${where}`)
    .get(...params) as Record<string, number | null>;
  return new Map(names.map((name, i) => [name, { missing: row[`m${i}`] ?? 0, maxBytes: row[`l${i}`] ?? 0 }]));
}
