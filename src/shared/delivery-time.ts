// Contract of delivery timing (issue 17): time zones of subscriptions, a campaign sent at a local clock
// time in each subscriber's zone, an app's quiet hours and frequency cap, and each zone's progress.
// Pure TS: Intl is the only time-zone database used (browsers and Node ship the same IANA data).
import { z } from 'zod';

import type { CampaignTotals } from './campaigns.ts';
import { canonicalTimeZone } from './delivery-time-rules.ts';

export { canonicalTimeZone };

export const timeZoneSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone) return zone;
    ctx.addIssue({
      code: 'custom',
      message: `"${value.slice(0, 64)}" is not an IANA time zone: use a name such as Europe/Berlin, America/New_York or UTC`,
    });
    return z.NEVER;
  });

/** A clock time, 24-hour "HH:MM". */
export const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time is HH:MM on a 24-hour clock, such as 09:00' });

/** A calendar date "YYYY-MM-DD" that exists. */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date is YYYY-MM-DD, such as 2026-12-24' })
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'that date does not exist');

/** Quiet hours in each subscriber's local time; start > end wraps midnight (21:00–08:00). */
export const quietHoursSchema = z
  .object({ start: clockTimeSchema, end: clockTimeSchema })
  .strict()
  .refine((q) => q.start !== q.end, 'quiet hours need a start and an end that differ');
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const MAX_FREQUENCY_CAP = 1000;
const capCount = z.number().int().min(1).max(MAX_FREQUENCY_CAP).nullable();
/** At most this many campaigns per subscriber in any rolling 24 hours / 7 days; null = no limit. */
export const frequencyCapSchema = z.object({ per24h: capCount, per7d: capCount }).strict();
export type FrequencyCap = z.infer<typeof frequencyCapSchema>;

/** Zones whose local time has already passed when the campaign starts: send at once, or the next day. */
export const pastZonesChoices = ['now', 'next-day'] as const;
export type PastZones = (typeof pastZonesChoices)[number];
/** What a campaign does with deliveries that fall in quiet hours. */
export const quietHoursPolicies = ['hold', 'skip', 'ignore'] as const;
export type QuietHoursPolicy = (typeof quietHoursPolicies)[number];
export const frequencyCapPolicies = ['apply', 'ignore'] as const;
export type FrequencyCapPolicy = (typeof frequencyCapPolicies)[number];

export const localTimeScheduleSchema = z
  .object({
    time: clockTimeSchema,
    date: localDateSchema,
    pastZones: z.enum(pastZonesChoices).default('next-day'),
  })
  .strict();
export type LocalTimeSchedule = z.output<typeof localTimeScheduleSchema>;

export const deliveryTimingSchema = z
  .object({
    /** "At HH:MM in each subscriber's zone on DATE"; absent: everyone at the campaign's start. */
    localTime: localTimeScheduleSchema.optional(),
    /** Absent: 'hold', or 'ignore' for one-off alerts and test sends when the app says so. */
    quietHours: z.enum(quietHoursPolicies).optional(),
    /** Absent: 'apply', or 'ignore' for one-off alerts and test sends. */
    frequencyCap: z.enum(frequencyCapPolicies).optional(),
  })
  .strict();
export type DeliveryTiming = z.input<typeof deliveryTimingSchema>;

/** A campaign's timing as stored, with the defaults decided. */
export interface ResolvedTiming {
  localTime: LocalTimeSchedule | null;
  quietHours: QuietHoursPolicy;
  frequencyCap: FrequencyCapPolicy;
}

export interface AppDeliverySettings {
  /** For subscriptions without a zone; null = UTC. */
  defaultTimeZone: string | null;
  quietHours: QuietHours | null;
  frequencyCap: FrequencyCap;
  /** One-off alerts (a campaign to chosen endpoints or subscriptions) and test sends ignore quiet hours and the cap. */
  alertsIgnoreQuietHours: boolean;
}

export type ZoneStatus = 'waiting' | 'sending' | 'done';

/** One zone of a campaign's plan. */
export interface ZonePlanEntry {
  /** IANA name; the app's default zone (or UTC) for subscriptions without one. */
  timeZone: string;
  /** When its deliveries are released (epoch ms). */
  releaseAt: number;
  /** "2026-12-24 09:00" in that zone: the release as the subscriber's clock shows it. */
  localRelease: string;
  /** Held to the end of quiet hours, or skipped because of them. */
  quietHours: 'held' | 'skipped' | null;
  recipients: number;
}

export interface ZoneProgress
  extends ZonePlanEntry, Pick<CampaignTotals, 'delivered' | 'failed' | 'expired' | 'skipped'> {
  status: ZoneStatus;
  /** Not sent yet: waiting for its release, or queued, in flight or retrying. */
  pending: number;
}

export interface TimingSummary {
  timing: ResolvedTiming;
  /** Ordered by release. */
  zones: ZoneProgress[];
  /** The next zone still waiting for its release. */
  nextReleaseAt: number | null;
  /** The release of the last zone with anything left to send; null once all are out. */
  lastZoneEta: number | null;
}

/** What the composer's audience count says the cap and quiet hours hold back. */
export interface HeldBack {
  frequencyCap: number;
  quietHours: number;
  quietHoursPolicy: QuietHoursPolicy;
}

export interface ZonePlanPreview {
  zones: ZonePlanEntry[];
  firstAt: number | null;
  lastAt: number | null;
  heldBack: HeldBack | null;
}
