// Who may start now: the overall cap, each origin's adaptive in-flight limit (push/adaptive-limit.ts, under
// the per-origin cap), a push service's back-off (Retry-After after 429/503/406 holds back every message to
// that origin, not only the throttled one), and the messages-per-second cap as a token bucket.
import { AdaptiveLimit, type AnswerKind } from '../push/adaptive-limit.ts';

export interface FlowLimits {
  /** Cap on requests in flight, all origins together. */
  concurrency: number;
  /** Cap on each origin's adaptive limit. */
  perOriginConcurrency: number;
  rate?: number;
}

export interface Startable {
  origin: string;
  /** When a retry may go (0 for a first attempt). */
  dueAt: number;
  /** Set when it starts: when, and with how many of its origin in flight (itself included). */
  sentAt?: number;
  sentInFlight?: number;
}

/** How one origin is doing, for the live progress. */
export interface OriginFlow {
  origin: string;
  inFlight: number;
  limit: number;
  floorMs: number | null;
  latencyMs: number | null;
  answered: number;
  /** Why it is not sending more, for a person; null while nothing holds it back. */
  holdBack: string | null;
}

interface OriginState {
  inFlight: number;
  blockedUntil: number;
  blockedBy: string;
  answered: number;
  limiter: AdaptiveLimit;
}

export class FlowControl {
  readonly #limits: FlowLimits;
  readonly #origins = new Map<string, OriginState>();
  // At most 100 ms worth of tokens: no burst after a stall.
  readonly #bucket: number;
  #tokens: number;
  #tokensAt: number;
  #inFlight = 0;

  constructor(limits: FlowLimits, now: number) {
    this.#limits = limits;
    this.#bucket = limits.rate ? Math.max(1, limits.rate / 10) : Infinity;
    this.#tokens = limits.rate ? 1 : Infinity;
    this.#tokensAt = now;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #origin(name: string): OriginState {
    let state = this.#origins.get(name);
    if (!state) {
      const max = Math.min(this.#limits.perOriginConcurrency, this.#limits.concurrency);
      state = {
        inFlight: 0,
        blockedUntil: 0,
        blockedBy: '',
        answered: 0,
        limiter: new AdaptiveLimit({ max }),
      };
      this.#origins.set(name, state);
    }
    return state;
  }

  /** Takes, in order, what may start now from the retries that are due and then the ready list. */
  take<J extends Startable>(retries: J[], ready: J[], at: number): J[] {
    const rate = this.#limits.rate;
    if (rate) {
      this.#tokens = Math.min(this.#bucket, this.#tokens + ((at - this.#tokensAt) / 1000) * rate);
      this.#tokensAt = at;
    }
    const limit = Math.min(this.#limits.concurrency - this.#inFlight, Math.floor(this.#tokens));
    const picked: J[] = [];
    // One pass that keeps what stays in place (a splice per start would move the rest of the list each
    // time), and asks each origin once per run of its jobs: a list is mostly long runs of one origin.
    const pick = (list: J[]) => {
      let kept = 0;
      let read = 0;
      let name: string | null = null;
      let state: OriginState | null = null;
      let open = false;
      for (; read < list.length && picked.length < limit; read++) {
        const job = list[read]!;
        if (job.origin !== name) {
          name = job.origin;
          state = this.#origin(name);
          open = state.blockedUntil <= at && state.inFlight < state.limiter.limit;
        }
        if (!open || job.dueAt > at) {
          list[kept++] = job;
          continue;
        }
        state!.inFlight += 1;
        state!.limiter.started(state!.inFlight);
        open = state!.inFlight < state!.limiter.limit;
        job.sentAt = at;
        job.sentInFlight = state!.inFlight;
        picked.push(job);
      }
      if (kept === read) return;
      list.copyWithin(kept, read);
      list.length -= read - kept;
    };
    if (limit > 0) {
      pick(retries);
      pick(ready);
    }
    this.#inFlight += picked.length;
    if (rate) this.#tokens -= picked.length;
    return picked;
  }

  /** A request has ended; what it says about its origin adapts the origin's limit. */
  answered(
    job: Startable,
    answer: { kind: AnswerKind; latencyMs: number; reason?: string },
    at: number,
  ): void {
    this.#inFlight -= 1;
    const state = this.#origin(job.origin);
    state.inFlight -= 1;
    state.answered += 1;
    state.limiter.answered(
      { ...answer, sentAt: job.sentAt ?? at, sentInFlight: job.sentInFlight ?? state.inFlight + 1 },
      at,
    );
  }

  /** Holds back every message to this origin until then (`reason`: what the service said). */
  backOff(origin: string, until: number, reason = 'throttled'): void {
    const state = this.#origin(origin);
    if (until > state.blockedUntil) {
      state.blockedUntil = until;
      state.blockedBy = reason;
    }
  }

  /** Every origin seen so far, as it is now. */
  origins(at: number): OriginFlow[] {
    return [...this.#origins].map(([origin, state]) => {
      const limit = state.limiter.state(at);
      const blocked = state.blockedUntil > at;
      return {
        origin,
        inFlight: state.inFlight,
        limit: limit.limit,
        floorMs: limit.floorMs,
        latencyMs: limit.latencyMs,
        answered: state.answered,
        holdBack: blocked
          ? `backing off, ${state.blockedBy} (${Math.ceil((state.blockedUntil - at) / 1000)} s left)`
          : limit.holdBack,
      };
    });
  }
}
