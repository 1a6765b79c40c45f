// The circuit breaker of a run, per push-service origin: when a run of answers from one origin shows the
// sender's own problem (its VAPID token refused, every message refused, the service down or out of reach),
// sending to that origin stops; its deliveries stay pending for a resume and the pause says what the
// service said and what to fix. The other origins carry on. The engine owns the queues; this decides.
import type { Classification, SenderFault } from '../push/classify.ts';
import { pushServiceOfHost } from '../subscriptions/push-service.ts';

export interface OriginPause {
  origin: string;
  fault: SenderFault;
  /** The service's last answer of the run (already free of control characters). */
  reason: string;
  /** What the service said and what to fix, for the window and the CLI. */
  message: string;
  /** Deliveries to this origin left pending by the pause. */
  waiting: number;
}

/**
 * Answers in a row, none delivered between, that open the breaker. A dead service answers every request
 * (retries too) the same, so it needs more than a refused token before it counts as down.
 */
export const BREAKER_THRESHOLDS: Readonly<Record<SenderFault, number>> = {
  auth: 5,
  message: 5,
  network: 5,
  service: 10,
};

interface Run {
  fault: SenderFault;
  answers: number;
  subscriptionIds: Set<number>;
}

const SERVICE_NAMES = { fcm: 'FCM', mozilla: 'Mozilla', apple: 'Apple', wns: 'WNS' } as const;

/** "Apple", "FCM", … from the push service recorded for the subscription, else the origin's host. */
function serviceName(origin: string, service: string | null): string {
  const host = origin.replace(/^https?:\/\//, '');
  const known = service && service !== 'other' ? service : pushServiceOfHost(host.replace(/:\d+$/, ''));
  return known in SERVICE_NAMES ? SERVICE_NAMES[known as keyof typeof SERVICE_NAMES] : host;
}

function authFix(reason: string): string {
  // Apple's BadJwtToken: the subject is the usual cause (web-push-libs/web-push#947, pywebpush#175).
  if (/BadJwtToken/i.test(reason)) {
    return "the subject must be a mailto: or https: URL you own (not localhost or a .local address). Change the app's subject, then resume the campaign.";
  }
  return "check the app's subject and key pair and this computer's clock (a token is valid for 24 hours from its signing), then resume the campaign.";
}

function messageFix(reason: string): string {
  if (/too large|PayloadTooLarge|errno 104/i.test(reason)) {
    return 'the message is too large for this service: send a copy of the campaign with a shorter message.';
  }
  if (/topic/i.test(reason)) {
    return 'the topic must be at most 32 characters of A–Z, a–z, 0–9, - and _ (Apple also refuses a length one more than a multiple of 4): send a copy of the campaign with another topic.';
  }
  if (/ttl/i.test(reason))
    return 'the service refuses this TTL: send a copy of the campaign with another TTL.';
  return 'send a copy of the campaign with the message changed.';
}

/** The sentence shown in the window and printed by the CLI. */
export function pauseMessage(origin: string, service: string | null, fault: SenderFault, reason: string) {
  const name = serviceName(origin, service);
  switch (fault) {
    case 'auth':
      return `${name} refuses the VAPID token: ${reason} — ${authFix(reason)}`;
    case 'message':
      return `${name} refuses every message: ${reason} — ${messageFix(reason)}`;
    case 'service':
      return `${name} is failing: ${reason} — the subscriptions are not at fault; resume the campaign once the service answers again.`;
    case 'network':
      return `${name} cannot be reached: ${reason}`;
  }
}

/** One line for the campaign's last error: every paused origin, what it said, and how many wait. */
export function describePauses(pauses: readonly OriginPause[]): string | null {
  if (!pauses.length) return null;
  return pauses
    .map(
      (p) =>
        `Paused sending to ${p.origin} (${p.waiting} ${p.waiting === 1 ? 'delivery waits' : 'deliveries wait'}): ${p.message}`,
    )
    .join(' | ');
}

export class OriginBreaker {
  readonly #thresholds: Readonly<Record<SenderFault, number>>;
  readonly #runs = new Map<string, Run>();
  readonly #open = new Map<string, OriginPause>();

  constructor(thresholds: Readonly<Record<SenderFault, number>> = BREAKER_THRESHOLDS) {
    this.#thresholds = thresholds;
  }

  isOpen(origin: string): boolean {
    return this.#open.has(origin);
  }

  /**
   * Counts one answer from the origin. Returns the subscriptions whose answers made the run when this
   * answer opens the breaker (to be put back to pending), otherwise null.
   */
  record(
    origin: string,
    service: string | null,
    subscriptionId: number,
    verdict: Classification,
  ): number[] | null {
    if (this.#open.has(origin)) return null;
    const fault = verdict.senderFault;
    if (fault === null) {
      // Throttling says nothing either way; any other answer shows the service works for this sender.
      if (verdict.outcome !== 'throttled') this.#runs.delete(origin);
      return null;
    }
    let run = this.#runs.get(origin);
    if (!run || run.fault !== fault) {
      run = { fault, answers: 0, subscriptionIds: new Set() };
      this.#runs.set(origin, run);
    }
    run.answers += 1;
    run.subscriptionIds.add(subscriptionId);
    if (run.answers < this.#thresholds[fault]) return null;
    this.#runs.delete(origin);
    const message = pauseMessage(origin, service, fault, verdict.reason);
    this.#open.set(origin, { origin, fault, reason: verdict.reason, message, waiting: 0 });
    return [...run.subscriptionIds];
  }

  /** Counts deliveries left pending for a paused origin. */
  wait(origin: string, deliveries: number): void {
    const pause = this.#open.get(origin);
    if (pause) pause.waiting += deliveries;
  }

  pauses(): OriginPause[] {
    return [...this.#open.values()].map((pause) => ({ ...pause }));
  }
}

/** Removes and returns the jobs of one origin from a queue, keeping the others in order. */
export function takeOrigin<J extends { origin: string }>(list: J[], origin: string): J[] {
  const taken: J[] = [];
  let kept = 0;
  for (const job of list) {
    if (job.origin === origin) taken.push(job);
    else list[kept++] = job;
  }
  list.length = kept;
  return taken;
}
