// The in-flight limit of one push-service origin, adapted to how it answers: it grows while the latency
// stays near the no-load floor and shrinks on push-back (429/503/406), errors and rising latency.
// The ideas of TCP Vegas and Netflix's concurrency-limits (github.com/Netflix/concurrency-limits, VegasLimit
// and Gradient2Limit): compare the recent latency with the no-load latency instead of waiting for errors.
// Pure: the caller passes the time and what each answer was.

export interface AdaptiveLimitOptions {
  /** The cap: never more in flight than this (--concurrency-per-origin, or the overall cap if lower). */
  max: number;
  /** Never fewer than this (or `max` if lower). */
  min?: number;
  /** Where a new origin starts. */
  initial?: number;
}

/**
 * What one answer says about the service. `ok`: a real answer (2xx, 404/410, a final 4xx), whose latency
 * is the service's; `throttled`: 429, 503, WNS 406; `failed`: 5xx, a reset, a timeout; `ignored`: nothing
 * (aborted by a stop).
 */
export type AnswerKind = 'ok' | 'throttled' | 'failed' | 'ignored';

export interface AnswerSample {
  kind: AnswerKind;
  latencyMs: number;
  /** When the request started (same clock as `now`). */
  sentAt: number;
  /** This origin's requests in flight when it started, itself included. */
  sentInFlight: number;
  /** Shown while the limit holds back because of it ('HTTP 503', 'connection reset'). */
  reason?: string;
}

export type LimitPhase = 'starting' | 'growing' | 'steady' | 'latency' | 'throttled' | 'errors';

export interface LimitState {
  limit: number;
  phase: LimitPhase;
  /** The lowest latency of the last 10–20 s: the service without load. */
  floorMs: number | null;
  /** Average latency of recent answers. */
  latencyMs: number | null;
  /** Why the limit is not growing, for a person ('latency 130 ms, floor 80 ms'); null while it may. */
  holdBack: string | null;
}

export const DEFAULT_MIN_LIMIT = 4;
export const DEFAULT_INITIAL_LIMIT = 32;

/** Latency within this of the floor counts as "near" it (scheduling noise on a busy machine). */
const NEAR_FACTOR = 1.2;
const NEAR_SLACK_MS = 5;
/**
 * Above baseline × this the service (or this machine) is queueing: shrink (Gradient2's tolerance). The
 * baseline is the floor, or the long-run latency once that has risen for good (Gradient2's long RTT): a
 * latency that stays high (a busy machine, a slower route) stops shrinking the limit instead of taking it
 * down to its minimum.
 */
const TOLERANCE = 1.5;
const LONG_EMA = 1 / 32;
/** A window lasts about one round trip (Vegas evaluates once per RTT), at least this long. */
const MIN_WINDOW_MS = 10;
/** The floor is the minimum over the current and the previous period, so it follows a slower route. */
const FLOOR_PERIOD_MS = 10_000;
/** After push-back at N in flight, growth stays below N × this for CEILING_MS. */
const CEILING_MARGIN = 0.9;
const CEILING_MS = 60_000;
const THROTTLE_DECREASE = 0.5;
const ERROR_DECREASE = 0.8;
/** Recent latency: exponential average over about this many answers. */
const LATENCY_EMA = 1 / 64;
const HOLD_MESSAGE_MS = 5_000;

export class AdaptiveLimit {
  readonly #max: number;
  readonly #min: number;
  #limit: number;
  #slowStart = true;
  #phase: LimitPhase = 'starting';
  #holdBack: string | null = null;
  #holdBackUntil = 0;
  // The floor: minima of the current and the previous period.
  #periodStart: number | null = null;
  #periodMin = Infinity;
  #previousMin = Infinity;
  #latency: number | null = null;
  #longWindowLatency: number | null = null;
  // The current window.
  #windowStart: number | null = null;
  #windowMin = Infinity;
  #windowPeak = 0;
  // A decrease applies once per window of requests: answers to requests sent before it are its echo.
  #lastDecreaseAt = -Infinity;
  #ceiling = Infinity;
  #ceilingUntil = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.#max = Math.max(1, Math.floor(options.max));
    this.#min = Math.min(this.#max, options.min ?? DEFAULT_MIN_LIMIT);
    this.#limit = Math.max(this.#min, Math.min(this.#max, options.initial ?? DEFAULT_INITIAL_LIMIT));
  }

  /** Requests that may be in flight now. */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  get floorMs(): number | null {
    const floor = Math.min(this.#periodMin, this.#previousMin);
    return floor === Infinity ? null : floor;
  }

  /** A request started with `inFlight` requests of this origin in flight (itself included). */
  started(inFlight: number): void {
    if (inFlight > this.#windowPeak) this.#windowPeak = inFlight;
  }

  answered(sample: AnswerSample, now: number): void {
    if (sample.kind === 'ignored') return;
    if (sample.kind === 'throttled') return this.#pushBack(sample, now);
    if (sample.kind === 'failed') {
      this.#decrease(sample.sentAt, now, this.#limit * ERROR_DECREASE, 'errors', sample.reason ?? 'errors');
      return;
    }
    const latency = sample.latencyMs;
    this.#latency =
      this.#latency === null ? latency : this.#latency + (latency - this.#latency) * LATENCY_EMA;
    this.#rotateFloor(now);
    if (latency < this.#periodMin) this.#periodMin = latency;
    if (latency < this.#windowMin) this.#windowMin = latency;
    // The first window opened when its request left: its answer is a whole round trip, so slow start
    // doubles on it (as TCP grows on its first ACK) instead of spending one more round trip to measure.
    this.#windowStart ??= Math.min(now, sample.sentAt);
    const floor = this.floorMs!;
    if (now - this.#windowStart >= Math.max(MIN_WINDOW_MS, floor)) this.#endWindow(floor, now);
  }

  state(now: number): LimitState {
    const holdBack = now < this.#holdBackUntil || this.#phase === 'latency' ? this.#holdBack : null;
    return {
      limit: this.limit,
      phase: this.#phase,
      floorMs: this.floorMs === null ? null : Math.round(this.floorMs),
      latencyMs: this.#latency === null ? null : Math.round(this.#latency),
      holdBack:
        holdBack ??
        (this.limit >= this.#max ? `at the cap of ${this.#max}` : null) ??
        (this.#ceilingUntil > now && this.limit >= Math.floor(this.#ceiling * CEILING_MARGIN)
          ? `pushed back at ${this.#ceiling} in flight: staying below`
          : null),
    };
  }

  #rotateFloor(now: number): void {
    if (this.#periodStart === null) {
      this.#periodStart = now;
      return;
    }
    if (now - this.#periodStart < FLOOR_PERIOD_MS) return;
    this.#previousMin = this.#periodMin;
    this.#periodMin = Infinity;
    this.#periodStart = now;
    // Like TCP after an idle period: a limit that fell far may probe quickly again when nothing pushes back.
    if (this.#ceilingUntil <= now) this.#slowStart = true;
  }

  /** Vegas: compare the lowest latency of the last round trip with the floor, once per round trip. */
  #endWindow(floor: number, now: number): void {
    const recent = this.#windowMin;
    const peak = this.#windowPeak;
    const long = (this.#longWindowLatency ??= recent);
    this.#longWindowLatency = long + (recent - long) * LONG_EMA;
    this.#windowStart = now;
    this.#windowMin = Infinity;
    this.#windowPeak = 0;
    if (recent <= floor * NEAR_FACTOR + NEAR_SLACK_MS) {
      // Netflix's rule: a limit not in use is no evidence that a higher one would be safe.
      if (peak * 2 < this.#limit) {
        this.#phase = 'steady';
        return;
      }
      const grown = this.#slowStart ? this.#limit * 2 : this.#limit + Math.max(1, Math.sqrt(this.#limit));
      const ceiling = this.#ceilingUntil > now ? Math.floor(this.#ceiling * CEILING_MARGIN) : Infinity;
      this.#limit = Math.max(this.#min, Math.min(this.#max, ceiling, Math.max(this.#limit, grown)));
      this.#phase = this.#limit >= Math.min(this.#max, ceiling) ? 'steady' : 'growing';
      return;
    }
    this.#slowStart = false;
    const text = `latency ${Math.round(recent)} ms, floor ${Math.round(floor)} ms`;
    const baseline = Math.max(floor, this.#longWindowLatency);
    if (recent <= baseline * TOLERANCE) {
      this.#phase = 'latency';
      this.#holdBack = text;
      return;
    }
    // Gradient2: scale by how far above the tolerated latency the recent one is, halving at most.
    const gradient = Math.max(0.5, (baseline * TOLERANCE) / recent);
    // Evaluated once per window already: no echo to skip.
    this.#decrease(now, now, this.#limit * gradient, 'latency', text);
  }

  #pushBack(sample: AnswerSample, now: number): void {
    // The service said no at this many in flight: stay below it for a while.
    this.#ceiling = Math.min(
      this.#ceilingUntil > now ? this.#ceiling : Infinity,
      Math.max(this.#min, sample.sentInFlight),
    );
    this.#ceilingUntil = now + CEILING_MS;
    const target = Math.min(this.#limit * THROTTLE_DECREASE, this.#ceiling * CEILING_MARGIN);
    this.#decrease(sample.sentAt, now, target, 'throttled', sample.reason ?? 'throttled');
  }

  #decrease(sentAt: number, now: number, target: number, phase: LimitPhase, reason: string): void {
    this.#slowStart = false;
    this.#phase = phase;
    this.#holdBack = reason;
    this.#holdBackUntil = now + HOLD_MESSAGE_MS;
    if (sentAt < this.#lastDecreaseAt) return;
    this.#lastDecreaseAt = now;
    this.#limit = Math.max(this.#min, Math.min(this.#limit, target));
  }
}
