// Parsers of CLI flag values shared by commands: repeatable flags, bounded numbers, campaign ids, times and zones;
// and the reading of a file a flag names.
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { PushdeckError } from '../../shared/errors.ts';
import { canonicalTimeZone } from '../../shared/delivery-time.ts';

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

export function positive(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number above 0');
  return value;
}

/** The notification flags of `send` and `template save`. */
export interface NotificationFlags {
  title?: string;
  body?: string;
  url?: string;
  icon?: string;
  image?: string;
  badge?: string;
  notificationTag?: string;
}

export function notificationFromFlags(flags: NotificationFlags, title: string) {
  const { body, url, icon, image, badge, notificationTag: tag } = flags;
  return { title, body, url, icon, image, badge, tag };
}

/** Commander argument parser: a bad id is a usage error (exit 2). */
export function campaignIdArg(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) {
    throw new InvalidArgumentError(`a campaign id is a positive integer, not "${raw}"`);
  }
  return id;
}

/** ISO 8601 (`2026-12-01T09:00`, local time unless it names a zone) or epoch milliseconds. */
export function startTimeArg(raw: string): number {
  if (/^\d{10,}$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  if (Number.isNaN(at))
    throw new InvalidArgumentError(`use an ISO 8601 time like 2026-12-01T09:00, not "${raw}"`);
  return at;
}

/**
 * The value a flag parser gives for "none"/"off": commander stores '' in place of a parser's null
 * (lib/command.js, handleOptionValue: "val == null" becomes ''), so the word itself is kept and the command
 * reads it as null (`offToNull`).
 */
export const OFF = 'off';

/** A flag's parsed value, with OFF read as null (nothing set, the default). */
export function offToNull<T>(value: T | typeof OFF): T | null {
  return value === OFF ? null : value;
}

/** An IANA time zone as written in the tz database (canonicalTimeZone), or `none`: OFF, the app's default. */
export function timeZoneArg(raw: string): string {
  if (raw === 'none') return OFF;
  const zone = canonicalTimeZone(raw);
  if (!zone)
    throw new InvalidArgumentError(
      `"${raw}" is not an IANA time zone: use a name such as Europe/Berlin (or none)`,
    );
  return zone;
}

/** The text of a file named on the command line; `-` reads stdin. */
export function readFileArg(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new PushdeckError(
      'FILE_UNREADABLE',
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
}
