// The SQL of conditions on custom fields (shared/field-filter.ts), for the list's filter and the audience.
import type { FieldCondition } from '../../../shared/field-filter.ts';
import { timeZoneClauses } from './time-zone-filter.ts';

/** `s.fields` holds a JSON object of strings (import/row.ts); names are checked free of quotes at the boundary. */
export function fieldClauses(conditions: readonly FieldCondition[] | undefined): {
  clauses: string[];
  params: unknown[];
} {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const { name, value } of conditions ?? []) {
    clauses.push('json_extract(s.fields, ?) = ? COLLATE NOCASE');
    params.push(`$."${name}"`, value);
  }
  return { clauses, params };
}

/** What the list's filter and the audience both filter on besides tags: custom fields, then time zones. */
export function fieldAndZoneClauses(filter: {
  fields?: readonly FieldCondition[];
  timeZones?: readonly (string | null)[];
}): { clauses: string[]; params: unknown[] } {
  const fields = fieldClauses(filter.fields);
  const zones = timeZoneClauses(filter.timeZones);
  return { clauses: [...fields.clauses, ...zones.clauses], params: [...fields.params, ...zones.params] };
}
