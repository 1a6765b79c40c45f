// A WHERE clause from the filters a request sets: each condition `[sql, value]`, or falsy where it is unset.
export type Condition = readonly [sql: string, value: unknown] | false | '' | null | undefined;

export function whereOf(conditions: Condition[]): { where: string; params: unknown[] } {
  const set = conditions.filter((condition): condition is readonly [string, unknown] => Boolean(condition));
  return {
    where: set.length ? `WHERE ${set.map(([sql]) => sql).join(' AND ')}` : '',
    params: set.map(([, value]) => value),
  };
}

/** `text` for a LIKE … ESCAPE '\' pattern, its own wildcards (% _) and backslashes matched literally. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
