// Wall-clock arithmetic in IANA time zones with Intl only: the instant of a local date and time (DST gaps
// and overlaps resolved as Temporal's 'compatible' does), the local time of an instant, and quiet hours.
import type { QuietHours } from '../../../shared/delivery-time.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(zone: string, instant: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at an instant, in ms (Asia/Kathmandu: +5:45 = 20,700,000). */
export function offsetAt(zone: string, instant: number): number {
  const p = localParts(zone, instant);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the zone's clocks show `date` `time`. In a DST gap (02:30 on a spring-forward
 * night) it is the time after the gap, as far in as the wall time was (03:30); in an overlap, the first of
 * the two (Temporal's 'compatible' disambiguation, tc39.es/proposal-temporal/docs/timezone.html).
 */
export function instantOf(zone: string, date: string, time: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((t) => t + offsetAt(zone, t) === wall);
  if (candidates.length) return Math.min(...candidates);
  // A gap: only the offset before the transition (the smaller one) carries the wall time past it.
  return wall - Math.min(before, after);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-24 09:00" as the zone's clocks show the instant. */
export function localStamp(zone: string, instant: number): string {
  const p = localParts(zone, instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function localDateOf(zone: string, instant: number): string {
  return localStamp(zone, instant).slice(0, 10);
}

/** The calendar day after `date` ("2026-12-31" → "2027-01-01"). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

const minutesOf = (time: string) => {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return hh * 60 + mm;
};

/** Whether the instant falls in quiet hours in that zone: from start (included) to end (excluded). */
export function inQuietHours(zone: string, instant: number, quiet: QuietHours): boolean {
  const p = localParts(zone, instant);
  const now = p.hour * 60 + p.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The first instant at or after `instant` outside quiet hours: the window's end, in that zone. */
export function quietHoursEnd(zone: string, instant: number, quiet: QuietHours): number {
  if (!inQuietHours(zone, instant, quiet)) return instant;
  const today = localDateOf(zone, instant);
  const endToday = instantOf(zone, today, quiet.end);
  return endToday > instant ? endToday : instantOf(zone, nextDate(today), quiet.end);
}
