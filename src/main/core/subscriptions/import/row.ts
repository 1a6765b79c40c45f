// One row of an import file, checked: from CSV cells or a JSON value to a subscription ready to store, or
// the reason it cannot be one. Pure functions: the clock comes in as `now`.
import type { PushService } from '../../../../shared/compose.ts';
import { canonicalTimeZone } from '../../../../shared/delivery-time-rules.ts';
import type {
  ColumnTarget,
  RejectReason,
  SubscriptionStatus,
  TimeZoneNotice,
} from '../../../../shared/subscriptions.ts';
import { endpointHash } from '../endpoint-hash.ts';
import { unescapeFormula } from './csv-records.ts';
import { guessTarget } from './columns.ts';
import { pushServiceOfHost } from '../push-service.ts';
import { checkAuth, checkP256dh } from './subscriber-keys.ts';

/** A row as read, before checks. */
export interface RawSubscription {
  endpoint?: string;
  p256dh?: string;
  auth?: string;
  tags?: string[];
  label?: string;
  status?: string;
  createdAt?: unknown;
  expirationTime?: unknown;
  fields?: Record<string, string>;
  timeZone?: string;
}

export interface ValidSubscription {
  endpoint: string;
  endpointHash: number;
  p256dh: string;
  auth: string;
  pushService: PushService;
  label: string | null;
  /** JSON object text, or null when there are no custom fields. */
  fields: string | null;
  status: SubscriptionStatus;
  expirationTime: number | null;
  createdAt: number | null;
  tags: string[];
  /** IANA name (Intl's canonical spelling), or null. */
  timeZone: string | null;
  /** A zone given but not understood: the row is imported without one, and the import counts it. */
  timeZoneNotice: { value: string; reason: TimeZoneNotice } | null;
}

export type RowCheck = { ok: true; value: ValidSubscription } | { ok: false; reason: RejectReason };

const MAX_ENDPOINT = 2048;

// https://host/path with a plain host name and no port, spaces or control characters: what nearly every
// endpoint looks like, checked without building a URL. Anything else takes the full URL parser.
const PLAIN_HTTPS = /^https:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/[\x21-\x7e]*$/i;

export function checkEndpoint(
  raw: string | undefined,
): { ok: true; host: string } | { ok: false; reason: RejectReason } {
  if (raw === undefined || raw === '') return { ok: false, reason: 'ENDPOINT_MISSING' };
  if (raw.length > MAX_ENDPOINT) return { ok: false, reason: 'ENDPOINT_TOO_LONG' };
  const plain = PLAIN_HTTPS.exec(raw);
  if (plain) return { ok: true, host: plain[1]!.toLowerCase() };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'ENDPOINT_INVALID' };
  }
  // new URL accepts "https:example" and surrounding spaces; an endpoint must be written out in full.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]/i.test(raw) || /\s/.test(raw)) {
    return { ok: false, reason: 'ENDPOINT_INVALID' };
  }
  if (url.protocol === 'https:') return { ok: true, host: url.hostname };
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'http:' && local) return { ok: true, host: url.hostname };
  return { ok: false, reason: 'ENDPOINT_NOT_HTTPS' };
}

/** Milliseconds since the epoch from a number, a numeric string or an ISO date; null when empty. */
export function parseTime(value: unknown): number | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function splitTags(text: string): string[] {
  return text
    .split(/[;|,]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '' && tag.length <= 64);
}

const lf = (text: string) => text.replace(/\r\n/g, '\n');

function hasNul(raw: RawSubscription): boolean {
  const texts = [raw.endpoint, raw.label, ...(raw.tags ?? []), ...Object.entries(raw.fields ?? {}).flat()];
  return texts.some((text) => text?.includes('\u0000'));
}

export function checkRow(raw: RawSubscription, now: number): RowCheck {
  const endpoint = raw.endpoint?.trim();
  const endpointCheck = checkEndpoint(endpoint);
  if (!endpointCheck.ok) return endpointCheck;
  const p256dh = checkP256dh(raw.p256dh);
  if (!p256dh.ok) return p256dh;
  const auth = checkAuth(raw.auth);
  if (!auth.ok) return auth;
  const expirationTime = parseTime(raw.expirationTime);
  if (expirationTime === undefined) return { ok: false, reason: 'EXPIRATION_INVALID' };
  const createdAt = parseTime(raw.createdAt);
  if (createdAt === undefined) return { ok: false, reason: 'CREATED_AT_INVALID' };
  const statusText = raw.status?.trim().toLowerCase() ?? '';
  if (statusText !== '' && statusText !== 'active' && statusText !== 'expired') {
    return { ok: false, reason: 'STATUS_INVALID' };
  }
  // A NUL stored from JSON made the list's CSV export a file that no import reads (it looks binary).
  if (hasNul(raw)) return { ok: false, reason: 'TEXT_HAS_NUL' };
  const expired = statusText === 'expired' || (expirationTime !== null && expirationTime <= now);
  // A label is a display name: its surrounding spaces (tabs, line ends) are not kept, from any format. Line
  // ends inside are stored as LF, as a CSV file brings them back: what is stored round-trips exactly.
  const label = lf(raw.label?.trim() ?? '');
  const fields =
    raw.fields && Object.keys(raw.fields).length > 0
      ? JSON.stringify(
          Object.fromEntries(Object.entries(raw.fields).map(([name, value]) => [name, lf(value)])),
        )
      : null;
  return {
    ok: true,
    value: {
      endpoint: endpoint!,
      endpointHash: endpointHash(endpoint!),
      p256dh: p256dh.value,
      auth: auth.value,
      pushService: pushServiceOfHost(endpointCheck.host),
      label: label === '' ? null : label,
      fields,
      status: expired ? 'expired' : 'active',
      expirationTime,
      createdAt,
      tags: raw.tags ?? [],
      ...checkTimeZone(raw.timeZone),
    },
  };
}

// Files repeat a few zones a million times: each distinct value is asked of Intl once.
const zoneCache = new Map<string, string | null>();

function checkTimeZone(value: string | undefined): Pick<ValidSubscription, 'timeZone' | 'timeZoneNotice'> {
  const text = value?.trim() ?? '';
  if (text === '') return { timeZone: null, timeZoneNotice: null };
  let zone = zoneCache.get(text);
  if (zone === undefined) {
    zone = canonicalTimeZone(text);
    if (zoneCache.size < 10_000) zoneCache.set(text, zone);
  }
  if (zone !== null) return { timeZone: zone, timeZoneNotice: null };
  // Area/Location, as IANA names are: a zone this system's Intl does not know (or a typo of one).
  const reason = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$/.test(text) ? 'TIMEZONE_UNKNOWN' : 'TIMEZONE_INVALID';
  return { timeZone: null, timeZoneNotice: { value: text.slice(0, 64), reason } };
}

/** A CSV record under its header's column targets. */
export function rawFromCells(cells: string[], header: string[], targets: ColumnTarget[]): RawSubscription {
  const raw: RawSubscription = {};
  for (let i = 0; i < targets.length; i++) {
    const cell = cells[i];
    if (cell === undefined) continue;
    switch (targets[i]) {
      case 'endpoint':
        raw.endpoint = cell;
        break;
      case 'p256dh':
        raw.p256dh = unescapeFormula(cell);
        break;
      case 'auth':
        raw.auth = unescapeFormula(cell);
        break;
      case 'tags':
        raw.tags = splitTags(unescapeFormula(cell));
        break;
      case 'label':
        raw.label = unescapeFormula(cell);
        break;
      case 'status':
        raw.status = cell;
        break;
      case 'created_at':
        raw.createdAt = cell;
        break;
      case 'expiration_time':
        raw.expirationTime = cell;
        break;
      case 'timezone':
        raw.timeZone = cell;
        break;
      case 'field':
        // The header's names are exported through csvCell too (a field named =f goes out as '=f).
        if (cell !== '') (raw.fields ??= {})[unescapeFormula(header[i]!.trim())] = unescapeFormula(cell);
        break;
      default:
        break;
    }
  }
  return raw;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A JSON value: PushSubscription.toJSON(), plus Pushdeck's own export fields, plus foreign names. */
export function rawFromJson(value: unknown): RawSubscription | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw: RawSubscription = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'keys' && typeof item === 'object' && item !== null) {
      const keys = item as Record<string, unknown>;
      raw.p256dh ??= text(keys.p256dh);
      raw.auth ??= text(keys.auth);
      continue;
    }
    if (key === 'fields' && typeof item === 'object' && item !== null && !Array.isArray(item)) {
      for (const [name, field] of Object.entries(item as Record<string, unknown>)) {
        const fieldText = text(field);
        if (fieldText !== undefined) (raw.fields ??= {})[name] = fieldText;
      }
      continue;
    }
    switch (guessTarget(key)) {
      case 'endpoint':
        raw.endpoint = text(item);
        break;
      case 'p256dh':
        raw.p256dh = text(item);
        break;
      case 'auth':
        raw.auth = text(item);
        break;
      case 'tags':
        if (Array.isArray(item)) raw.tags = item.filter((tag) => typeof tag === 'string').flatMap(splitTags);
        else if (typeof item === 'string') raw.tags = splitTags(item);
        break;
      case 'label':
        raw.label = text(item);
        break;
      case 'status':
        raw.status = text(item);
        break;
      case 'created_at':
        raw.createdAt = item;
        break;
      case 'expiration_time':
        raw.expirationTime = item;
        break;
      case 'timezone':
        raw.timeZone = text(item);
        break;
      default: {
        // Names lose their surrounding spaces as a CSV header's do, so both formats store the same.
        const fieldText = text(item);
        if (fieldText !== undefined && key.trim() !== '') (raw.fields ??= {})[key.trim()] = fieldText;
      }
    }
  }
  return raw;
}
