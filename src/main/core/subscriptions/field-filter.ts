// The SQL of conditions on custom fields (shared/field-filter.ts), for the list's filter and the audience.
import type { FieldCondition } from '../../../shared/field-filter.ts';
import { fieldValueSql } from './field-indexes.ts';
import { timeZoneClauses } from './time-zone-filter.ts';

/**
 * `s.fields` holds a JSON object of strings (import/row.ts); names are checked free of quotes at the boundary.
 * `indexable`: the path written out, so that SQLite may use the field's index (field-indexes.ts), as it
 * should wherever the list is read in id order or counted; a page in another order passes false, since the
 * index would have SQLite sort every match instead of walking its order's index to the first ones.
 */
export function fieldClauses(
  conditions: readonly FieldCondition[] | undefined,
  indexable = true,
): {
  clauses: string[];
  params: unknown[];
} {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const { name, value } of conditions ?? []) {
    if (indexable) {
      clauses.push(`${fieldValueSql(name)} = ? COLLATE NOCASE`);
      params.push(value);
    } else {
      clauses.push('json_extract(s.fields, ?) = ? COLLATE NOCASE');
      params.push(`$."${name}"`, value);
    }
  }
  return { clauses, params };
}

/** What the list's filter and the audience both filter on besides tags: custom fields, then time zones. */
export function fieldAndZoneClauses(
  filter: {
    fields?: readonly FieldCondition[];
    timeZones?: readonly (string | null)[];
  },
  fieldIndexes = true,
): { clauses: string[]; params: unknown[] } {
  const fields = fieldClauses(filter.fields, fieldIndexes);
  const zones = timeZoneClauses(filter.timeZones);
  return { clauses: [...fields.clauses, ...zones.clauses], params: [...fields.params, ...zones.params] };
}
