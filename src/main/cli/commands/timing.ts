// The CLI's side of delivery timing (issue 17): the send flags of a local-time campaign, and the lines that
// show a campaign's zones (waiting, sending, done) and the ETA of the last one.
import { InvalidArgumentError, Option } from 'commander';
import {
  clockTimeSchema,
  frequencyCapPolicies,
  localDateSchema,
  pastZonesChoices,
  quietHoursPolicies,
  type DeliveryTiming,
  type FrequencyCapPolicy,
  type PastZones,
  type QuietHoursPolicy,
  type TimingSummary,
} from '../../../shared/delivery-time.ts';
import { usageError } from '../output.ts';

export interface TimingFlags {
  localTime?: string;
  date?: string;
  pastZones?: PastZones;
  quietHours?: QuietHoursPolicy;
  frequencyCap?: FrequencyCapPolicy;
}

const parsed = (schema: typeof clockTimeSchema | typeof localDateSchema) => (raw: string) => {
  const result = schema.safeParse(raw);
  if (!result.success) throw new InvalidArgumentError(`${result.error.issues[0]!.message}, not "${raw}"`);
  return result.data;
};

export const timingOptions = (): Option[] => [
  new Option(
    '--local-time <HH:MM>',
    "send at this time in each subscriber's own time zone (with --date)",
  ).argParser(parsed(clockTimeSchema)),
  new Option('--date <YYYY-MM-DD>', 'the day of --local-time').argParser(parsed(localDateSchema)),
  new Option(
    '--past-zones <when>',
    'zones already past --local-time: send now, or the next day (default)',
  ).choices(pastZonesChoices),
  new Option(
    '--quiet-hours <what>',
    "deliveries in the app's quiet hours: hold them (default), skip them, or ignore the quiet hours",
  ).choices(quietHoursPolicies),
  new Option('--frequency-cap <what>', "apply the app's frequency cap (default), or ignore it").choices(
    frequencyCapPolicies,
  ),
];

/** The timing the flags ask for; undefined when they ask for none (the app's rules still apply). */
export function timingOf(flags: TimingFlags): DeliveryTiming | undefined {
  if ((flags.localTime === undefined) !== (flags.date === undefined))
    throw usageError('--local-time and --date go together: --local-time 09:00 --date 2026-12-24');
  if (flags.pastZones && !flags.localTime) throw usageError('--past-zones goes with --local-time');
  const timing: DeliveryTiming = {
    ...(flags.localTime
      ? { localTime: { time: flags.localTime, date: flags.date!, pastZones: flags.pastZones ?? 'next-day' } }
      : {}),
    ...(flags.quietHours ? { quietHours: flags.quietHours } : {}),
    ...(flags.frequencyCap ? { frequencyCap: flags.frequencyCap } : {}),
  };
  return Object.keys(timing).length ? timing : undefined;
}

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One row per zone, and the schedule's summary: for `send` and `campaign show`. */
export function timingRows(timing: TimingSummary | null): Array<[string, string]> {
  if (!timing) return [];
  const t = timing.timing;
  const rows: Array<[string, string]> = [
    [
      'Timing',
      [
        t.localTime
          ? `${t.localTime.time} local on ${t.localTime.date} (zones already past: ${t.localTime.pastZones})`
          : 'at the start',
        `quiet hours: ${t.quietHours}`,
        `frequency cap: ${t.frequencyCap}`,
      ].join(' · '),
    ],
  ];
  if (timing.nextReleaseAt !== null) rows.push(['Next zone', utc(timing.nextReleaseAt)]);
  if (timing.lastZoneEta !== null) rows.push(['Last zone ETA', utc(timing.lastZoneEta)]);
  for (const z of timing.zones) {
    const quiet = z.quietHours ? ` (quiet hours: ${z.quietHours})` : '';
    const counts = `${z.delivered}/${z.recipients} delivered${z.skipped ? ` · ${z.skipped} skipped` : ''}${z.failed ? ` · ${z.failed} failed` : ''}${z.expired ? ` · ${z.expired} expired` : ''}`;
    rows.push([
      `  ${z.timeZone}`,
      `${z.status.padEnd(7)} ${z.localRelease} local = ${utc(z.releaseAt)}${quiet} · ${counts}`,
    ]);
  }
  return rows;
}
