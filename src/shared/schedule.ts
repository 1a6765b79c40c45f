// Contract of scheduling: a campaign set to start at a time, kept in the database and started by the app's
// timer or by `pushdeck campaign run-due` from cron. (Interrupted campaigns are flagged by the engine's
// CampaignSummary.interrupted.)
import { z } from 'zod';
import { channel, event } from './channel.ts';

export interface ScheduledCampaign {
  campaignId: number;
  /** Epoch milliseconds; shown in the user's time zone. */
  scheduledAt: number;
}

export interface DueRunReport {
  started: number[];
  failed: { campaignId: number; code: string; message: string }[];
}

/** One due check: what it started, what it resumed, what could not start. */
export interface DueCheck extends DueRunReport {
  /** Local-time campaigns whose sender was interrupted, resumed by this check. */
  resumed: number[];
}

export const scheduleChannels = {
  /**
   * Starts the campaigns due now and resumes interrupted local-time releases (`pushdeck campaign run-due`);
   * answers once they have started: their runs end as `campaigns.ended`. The check tells the window what it
   * changed itself, as it does from the app's timer.
   */
  'schedule.runDue': channel(z.object({}).strict(), { on: 'sending' }).returns<DueCheck>(),
  'schedule.set': channel(
    z
      .object({
        campaignId: z.number().int().positive(),
        /** Epoch milliseconds. */
        at: z.number().int().positive(),
      })
      .strict(),
    { changes: ['campaigns'] },
  ).returns<ScheduledCampaign>(),
  /** Back to draft: the campaign will not start on its own. */
  'schedule.clear': channel(z.object({ campaignId: z.number().int().positive() }).strict(), {
    changes: ['campaigns'],
  }).returns<{ campaignId: number }>(),
};

export const scheduleEvents = {
  /** The due-campaign runner started (or failed to start) scheduled campaigns. */
  'schedule.ran': event<DueRunReport>(),
};
