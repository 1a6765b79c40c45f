// `pushdeck app update X --quiet-hours 21:00-08:00 --frequency-cap 3/24h --default-timezone Europe/Berlin`:
// the app's delivery rules (issue 17) from flags, checked at the boundary with the shared schemas.
import { InvalidArgumentError, Option } from 'commander';
import type { AppDeliveryUpdate, AppSummary } from '../../../shared/apps.ts';
import {
  MAX_FREQUENCY_CAP,
  quietHoursSchema,
  type FrequencyCap,
  type QuietHours,
} from '../../../shared/delivery-time.ts';
import { OFF, offToNull, timeZoneArg } from '../flags.ts';

export interface DeliveryFlags {
  quietHours?: QuietHours | typeof OFF;
  frequencyCap?: Array<Partial<FrequencyCap>>;
  /** A zone, or OFF (none). */
  defaultTimezone?: string;
  alertsQuietHours?: 'apply' | 'ignore';
}

function quietHoursArg(raw: string): QuietHours | typeof OFF {
  if (raw === OFF) return OFF;
  const [start, end, extra] = raw.split('-');
  const parsed = quietHoursSchema.safeParse({ start, end });
  if (extra !== undefined || !parsed.success) {
    throw new InvalidArgumentError(
      `use START-END on a 24-hour clock such as 21:00-08:00 (or off), not "${raw}"${parsed.success ? '' : `: ${parsed.error.issues[0]!.message}`}`,
    );
  }
  return parsed.data;
}

function capArg(raw: string, previous: Array<Partial<FrequencyCap>> = []): Array<Partial<FrequencyCap>> {
  if (raw === 'off') return [...previous, { per24h: null, per7d: null }];
  const match = /^(\d+)\/(24h|1d|7d|1w)$/.exec(raw);
  const n = match ? Number(match[1]) : NaN;
  if (!match || !Number.isInteger(n) || n < 1 || n > MAX_FREQUENCY_CAP) {
    throw new InvalidArgumentError(
      `use N/24h or N/7d with N from 1 to ${MAX_FREQUENCY_CAP} (3/24h: at most 3 campaigns a day), or off; not "${raw}"`,
    );
  }
  return [...previous, match[2] === '24h' || match[2] === '1d' ? { per24h: n } : { per7d: n }];
}

export const deliveryOptions = (): Option[] => [
  new Option(
    '--quiet-hours <START-END>',
    "no campaign in each subscriber's local START-END (21:00-08:00), or off",
  ).argParser(quietHoursArg),
  new Option(
    '--frequency-cap <N/24h|N/7d>',
    'at most N campaigns per subscriber in any 24 h or 7 days (repeatable), or off',
  ).argParser(capArg),
  new Option(
    '--default-timezone <zone>',
    'the zone of subscriptions without one (IANA name), or none (UTC)',
  ).argParser(timeZoneArg),
  new Option(
    '--alerts-quiet-hours <what>',
    'one-off alerts and test sends: ignore quiet hours and the cap (default), or apply them',
  ).choices(['apply', 'ignore']),
];

export function deliveryUpdateOf(appId: number, flags: DeliveryFlags): AppDeliveryUpdate | null {
  const update: AppDeliveryUpdate = { appId };
  if (flags.quietHours !== undefined) update.quietHours = offToNull(flags.quietHours);
  if (flags.defaultTimezone !== undefined) update.defaultTimeZone = offToNull(flags.defaultTimezone);
  if (flags.frequencyCap?.length) update.frequencyCap = Object.assign({}, ...flags.frequencyCap);
  if (flags.alertsQuietHours) update.alertsIgnoreQuietHours = flags.alertsQuietHours === 'ignore';
  return Object.keys(update).length > 1 ? update : null;
}

/** The rows `app update` and `app list` show. */
export function deliveryRows(app: AppSummary): Array<[string, string]> {
  const d = app.delivery;
  const cap = [
    d.frequencyCap.per24h !== null ? `${d.frequencyCap.per24h}/24h` : null,
    d.frequencyCap.per7d !== null ? `${d.frequencyCap.per7d}/7d` : null,
  ].filter(Boolean);
  return [
    ['Default zone', d.defaultTimeZone ?? 'UTC (none set)'],
    ['Quiet hours', d.quietHours ? `${d.quietHours.start}–${d.quietHours.end} local` : 'off'],
    ['Frequency cap', cap.length ? cap.join(', ') : 'off'],
    [
      'Alerts, tests',
      d.alertsIgnoreQuietHours ? 'ignore quiet hours and the cap' : 'follow quiet hours and the cap',
    ],
  ];
}
