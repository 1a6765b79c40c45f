// A WHERE clause from the filters a request sets: each condition `[sql, ...values]`, or falsy where it is unset.
export type Condition = readonly [sql: string, ...values: unknown[]] | false | 0 | '' | null | undefined;

/** The set conditions joined by AND (no WHERE), with their values in order. */
export function allOf(conditions: Condition[]): { where: string; params: unknown[] } {
  const set = conditions.filter((condition) => !!condition);
  return { where: set.map(([sql]) => sql).join(' AND '), params: set.flatMap(([, ...values]) => values) };
}

export function whereOf(conditions: Condition[]): { where: string; params: unknown[] } {
  const { where, params } = allOf(conditions);
  return { where: where && `WHERE ${where}`, params };
}

/** `text` for a LIKE … ESCAPE '\' pattern, its own wildcards (% _) and backslashes matched literally. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
