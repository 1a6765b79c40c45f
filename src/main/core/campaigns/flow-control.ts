// Who may start now: the global and per-origin concurrency limits, a push service's back-off (Retry-After
// after 429/503/406 holds back every message to that origin, not only the throttled one), and the
// messages-per-second cap as a token bucket.

export interface FlowLimits {
  concurrency: number;
  perOriginConcurrency: number;
  rate?: number;
}

export interface Startable {
  origin: string;
  /** When a retry may go (0 for a first attempt). */
  dueAt: number;
}

interface OriginState {
  inFlight: number;
  blockedUntil: number;
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
      state = { inFlight: 0, blockedUntil: 0 };
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
    const pick = (list: J[]) => {
      for (let i = 0; i < list.length && picked.length < limit;) {
        const job = list[i]!;
        const state = this.#origin(job.origin);
        if (
          job.dueAt > at ||
          state.blockedUntil > at ||
          state.inFlight >= this.#limits.perOriginConcurrency
        ) {
          i += 1;
          continue;
        }
        list.splice(i, 1);
        state.inFlight += 1;
        picked.push(job);
      }
    };
    if (limit > 0) {
      pick(retries);
      pick(ready);
    }
    this.#inFlight += picked.length;
    if (rate) this.#tokens -= picked.length;
    return picked;
  }

  answered(origin: string): void {
    this.#inFlight -= 1;
    this.#origin(origin).inFlight -= 1;
  }

  /** Holds back every message to this origin until then. */
  backOff(origin: string, until: number): void {
    const state = this.#origin(origin);
    state.blockedUntil = Math.max(state.blockedUntil, until);
  }
}
