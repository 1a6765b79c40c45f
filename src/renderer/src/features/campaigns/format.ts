// How the campaigns area writes numbers, durations and times for people.
const integer = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatCount = (n: number): string => integer.format(n);

/** A push service as the results and the live flow table name it (the flow table shows an other's origin). */
export const pushServiceNames: Record<string, string> = {
  fcm: 'FCM',
  mozilla: 'Mozilla',
  apple: 'Apple',
  wns: 'Windows (WNS)',
  other: 'Other',
};

const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const formatDateTime = (at: number | null): string => (at === null ? '—' : dateTime.format(at));

/** For start times, which may be seconds apart. */
export const formatStartTime = (at: number | null): string =>
  at === null ? '—' : dateTimeSeconds.format(at);

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${((part / whole) * 100).toFixed(part === whole || part === 0 ? 0 : 1)} %`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatTtl(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds > 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600} h`;
  return formatDuration(seconds);
}

export const formatMs = (ms: number | null): string => (ms === null ? '—' : `${formatCount(ms)} ms`);

/** The user's time zone, named: scheduled times are shown and picked in it. */
export const userTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "21:00–08:00". */
export const formatQuietHours = (quiet: { start: string; end: string }): string =>
  `${quiet.start}–${quiet.end}`;

/** "3 per 24 h, 10 per 7 days", or null when the app has no cap. */
export function formatCap(cap: { per24h: number | null; per7d: number | null }): string | null {
  const parts = [
    cap.per24h !== null ? `${formatCount(cap.per24h)} per 24 h` : null,
    cap.per7d !== null ? `${formatCount(cap.per7d)} per 7 days` : null,
  ].filter((part) => part !== null);
  return parts.length ? parts.join(', ') : null;
}

/** "in 3 h 20 min" from now, or "now" when it is due. */
export function formatFromNow(at: number, now: number = Date.now()): string {
  const seconds = (at - now) / 1000;
  return seconds <= 30 ? 'now' : `in ${formatDuration(seconds)}`;
}

const zoneTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A zone's release in the user's time, short enough for a table of 400 zones: "Dec 24, 08:00". */
export const formatZoneTime = (at: number): string => zoneTime.format(at);
