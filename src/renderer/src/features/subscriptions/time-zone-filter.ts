// The time-zone filter of the list and of audiences: the zones the app's subscriptions have (with their
// counts), and "no zone" (the app's default applies), which travels as null.
export const NO_ZONE = '(none)';

export const zoneFilterValue = (value: string): string | null => (value === NO_ZONE ? null : value);

export function zoneFilterOptions(
  facets: readonly { timeZone: string | null; count: number }[],
): { value: string; label: string }[] {
  return facets.map(({ timeZone, count }) => ({
    value: timeZone ?? NO_ZONE,
    label: `${timeZone ?? 'No zone (app default)'} · ${count.toLocaleString()}`,
  }));
}
