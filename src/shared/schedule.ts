// Contract of scheduling and crash recovery: a campaign set to start at a time (kept in the database, run
// by the app's timer or by `pushdeck campaign run-due` from cron), and campaigns interrupted mid-send.
import { z } from 'zod';
import { channel, event } from './channel.ts';

export interface ScheduledCampaign {
  campaignId: number;
  /** Epoch milliseconds; shown in the user's time zone. */
  scheduledAt: number;
}

/** A campaign left in 'sending' by a process that is gone (quit, crash, kill -9). */
export interface InterruptedCampaign {
  campaignId: number;
  appId: number;
  name: string;
  startedAt: number | null;
  /** When its journal last changed. */
  lastActivityAt: number | null;
  /** Still to send: resume sends these. */
  pending: number;
  /** Requests that were on the wire when the process died: their fate is unknown. */
  inFlight: number;
}

export interface DueRunReport {
  started: number[];
  failed: { campaignId: number; code: string; message: string }[];
}

export const scheduleChannels = {
  'schedule.set': channel(
    z
      .object({
        campaignId: z.number().int().positive(),
        /** Epoch milliseconds. */
        at: z.number().int().positive(),
      })
      .strict(),
  ).returns<ScheduledCampaign>(),
  /** Back to draft: the campaign will not start on its own. */
  'schedule.clear': channel(z.object({ campaignId: z.number().int().positive() }).strict()).returns<{
    campaignId: number;
  }>(),
  'schedule.interrupted': channel(
    z.object({ appId: z.number().int().positive().optional() }).strict(),
  ).returns<InterruptedCampaign[]>(),
};

export const scheduleEvents = {
  /** The due-campaign runner started (or failed to start) scheduled campaigns. */
  'schedule.ran': event<DueRunReport>(),
};
