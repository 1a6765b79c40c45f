// The longest label and custom-field values of each app, in bytes, kept up as imports write rows (the only
// writer of labels and fields): what the composer's byte budget and the CSV export's columns read, a few
// rows instead of a pass over every subscription. An upper bound: a value deleted later stays counted.
import type { Db } from '../db/database.ts';
import { LABEL_FIELD } from '../payload/personalise.ts';

export interface FieldLength {
  /** The longest value in UTF-8 bytes, inserted as is. */
  maxBytes: number;
  /** The longest value once JSON-escaped (as a notification's JSON carries it), quotes left out. */
  maxEscapedBytes: number;
}

/** Folds rows' label and fields into running maxima, to be saved with saveFieldLengths. */
export class FieldLengthTally {
  readonly lengths = new Map<string, FieldLength>();

  add(label: string | null, fields: string | null): void {
    if (label) this.value(LABEL_FIELD, label);
    if (fields) {
      for (const [name, value] of Object.entries(JSON.parse(fields) as Record<string, unknown>)) {
        if (value === null || value === undefined || value === '') continue;
        this.value(name, typeof value === 'string' ? value : JSON.stringify(value));
      }
    }
  }

  private value(name: string, text: string): void {
    const bytes = Buffer.byteLength(text);
    // Escaping only grows a text that has quotes, backslashes, control characters or lone surrogates.
    // eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
    const escaped = /["\\\u0000-\u001f\ud800-\udfff]/.test(text)
      ? Buffer.byteLength(JSON.stringify(text)) - 2
      : bytes;
    const known = this.lengths.get(name);
    if (!known) this.lengths.set(name, { maxBytes: bytes, maxEscapedBytes: escaped });
    else {
      if (bytes > known.maxBytes) known.maxBytes = bytes;
      if (escaped > known.maxEscapedBytes) known.maxEscapedBytes = escaped;
    }
  }
}

/** Raises the app's stored maxima to the tally's (inside the caller's transaction). */
export function saveFieldLengths(db: Db, appId: number, tally: FieldLengthTally): void {
  if (tally.lengths.size === 0) return;
  const upsert = db.prepare(
    `INSERT INTO subscription_field_lengths (app_id, name, max_bytes, max_escaped_bytes) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET max_bytes = MAX(max_bytes, excluded.max_bytes),
       max_escaped_bytes = MAX(max_escaped_bytes, excluded.max_escaped_bytes)`,
  );
  for (const [name, length] of tally.lengths)
    upsert.run(appId, name, length.maxBytes, length.maxEscapedBytes);
  tally.lengths.clear();
}

/** The app's maxima by name (`label` for the label); a name no subscription ever had is absent. */
export function fieldLengths(db: Db, appId: number): Map<string, FieldLength> {
  const rows = db
    .prepare(
      'SELECT name, max_bytes, max_escaped_bytes FROM subscription_field_lengths WHERE app_id = ? ORDER BY name',
    )
    .raw()
    .all(appId) as Array<[string, number, number]>;
  return new Map(rows.map(([name, maxBytes, maxEscapedBytes]) => [name, { maxBytes, maxEscapedBytes }]));
}

/** Measures every app's rows in SQL (one pass over them all): for a database whose rows came before the table. */
export function measureFieldLengths(db: Db): void {
  db.exec(`
      INSERT INTO subscription_field_lengths (app_id, name, max_bytes, max_escaped_bytes)
        SELECT s.app_id, j.key, MAX(length(CAST(j.value AS BLOB))), MAX(length(CAST(json_quote(j.value) AS BLOB)) - 2)
        FROM subscriptions s, json_each(s.fields) j WHERE s.fields IS NOT NULL GROUP BY s.app_id, j.key
        ON CONFLICT DO UPDATE SET max_bytes = MAX(max_bytes, excluded.max_bytes),
          max_escaped_bytes = MAX(max_escaped_bytes, excluded.max_escaped_bytes);
      INSERT INTO subscription_field_lengths (app_id, name, max_bytes, max_escaped_bytes)
        SELECT app_id, 'label', MAX(length(CAST(label AS BLOB))), MAX(length(CAST(json_quote(label) AS BLOB)) - 2)
        FROM subscriptions WHERE label IS NOT NULL AND label <> '' GROUP BY app_id
        ON CONFLICT DO UPDATE SET max_bytes = MAX(max_bytes, excluded.max_bytes),
          max_escaped_bytes = MAX(max_escaped_bytes, excluded.max_escaped_bytes);
  `);
}
