// The SQL of a time-zone filter (the list's and the audience's): zones by name, null for "no zone of its own".
export function timeZoneClauses(zones: readonly (string | null)[] | undefined): {
  clauses: string[];
  params: unknown[];
} {
  if (!zones?.length) return { clauses: [], params: [] };
  const names = zones.filter((zone): zone is string => zone !== null);
  const parts: string[] = [];
  const params: unknown[] = [];
  // One parameter for the list, read by json_each (a long list gave "too many SQL variables").
  if (names.length) {
    parts.push('s.timezone IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(names));
  }
  if (names.length < zones.length) parts.push('s.timezone IS NULL');
  return { clauses: [`(${parts.join(' OR ')})`], params };
}
