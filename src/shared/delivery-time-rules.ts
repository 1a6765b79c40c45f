// Values of delivery timing without zod, for the sending threads (which do not load the schemas).

/** Skip reasons written on a delivery in state 'skipped'. */
export const SKIP_FREQUENCY_CAP = 'frequency cap';
export const SKIP_QUIET_HOURS = 'quiet hours';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Intl's canonical name of an IANA time zone ("asia/calcutta" → "Asia/Calcutta"), or null when unknown. */
export function canonicalTimeZone(value: string): string | null {
  const name = value.trim();
  // Offsets ("+02:00") are not zones: they have no DST and no place; Intl accepts them on newer engines.
  if (!name || name.length > 64 || /^[+-]/.test(name) || /\s/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU answers old names for some zones (Asia/Kolkata → Asia/Calcutta): a name typed in mixed case is
    // kept as written, only one in a single case takes Intl's spelling.
    return name !== name.toLowerCase() && name !== name.toUpperCase() ? name : resolved;
  } catch {
    return null;
  }
}
