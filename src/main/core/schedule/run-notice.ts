// What the desktop shows about campaigns sending in the background: one taskbar/dock progress value over
// every running campaign, and a notice when a long one ends. Pure: index.ts applies it with Electron.
import type { CampaignProgress } from '../../../shared/campaigns.ts';

/** A campaign shorter than this ends while the user still watches: no notification. */
export const LONG_CAMPAIGN_MS = 10_000;

export interface RunNotice {
  /** 0..1 over all running campaigns; null removes the progress bar. */
  progress: number | null;
  /** A notification to show, when a long campaign has just ended. */
  notify: { title: string; body: string } | null;
}

interface Running {
  startedAt: number;
  recipients: number;
  answered: number;
}

export class CampaignRunTracker {
  readonly #running = new Map<number, Running>();
  readonly #name: (campaignId: number) => string;

  constructor(nameOf: (campaignId: number) => string) {
    this.#name = nameOf;
  }

  update(event: CampaignProgress, now: number): RunNotice {
    const answered = event.delivered + event.expired + event.failed + event.uncertain;
    const seen = this.#running.get(event.campaignId);
    let notify: RunNotice['notify'] = null;
    if (event.finished) {
      this.#running.delete(event.campaignId);
      if (seen && now - seen.startedAt >= LONG_CAMPAIGN_MS) {
        const verb =
          event.state === 'completed' ? 'finished' : event.state === 'cancelled' ? 'was cancelled' : 'paused';
        notify = {
          title: `Campaign ${verb}: ${this.#name(event.campaignId)}`,
          body: `${event.delivered} delivered, ${event.expired} expired, ${event.failed} failed of ${event.recipients}.`,
        };
      }
    } else {
      this.#running.set(event.campaignId, {
        startedAt: seen?.startedAt ?? now,
        recipients: event.recipients,
        answered,
      });
    }
    let total = 0;
    let done = 0;
    for (const run of this.#running.values()) {
      total += run.recipients;
      done += run.answered;
    }
    return { progress: this.#running.size === 0 ? null : total === 0 ? 0 : done / total, notify };
  }
}
