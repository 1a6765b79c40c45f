// Conditions on a subscription's custom fields (the columns an import kept, such as `city`): `city = Berlin`
// in the subscription table's filter and in a campaign's audience. Equality, ignoring case.
import { z } from 'zod';

export const fieldConditionSchema = z
  .object({
    /** An imported column's name; quotes and backslashes would break SQLite's JSON path, so they are refused. */
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^"\\]+$/, 'A field name cannot contain quotes or backslashes.'),
    value: z.string().max(500),
  })
  .strict();
export type FieldCondition = z.infer<typeof fieldConditionSchema>;

export const fieldConditionsSchema = z.array(fieldConditionSchema).max(10);

/** Reads `city = Berlin` (or `city=Berlin`); null when the text has no `=` between a name and a value. */
export function parseFieldCondition(text: string): FieldCondition | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  const name = text.slice(0, at).trim();
  const value = text.slice(at + 1).trim();
  const parsed = fieldConditionSchema.safeParse({ name, value });
  return name && value && parsed.success ? parsed.data : null;
}
