// The send loop of a campaign: reads pending deliveries in keyset pages, encrypts and signs
// each, sends within the global, per-origin and per-second limits, retries what may succeed later, and
// writes results to the journal in batches. Crash safety: a delivery is committed as `in_flight` before its
// request starts, and results are committed together with the next starts, so at most `concurrency`
// deliveries are ever `in_flight` in the file: after a kill -9 exactly those are the uncertain ones.
// web-push's sendNotification is not used: it signs a new JWT for every message (most of its cost), always
// speaks TLS (local http:// services fail) and sends payloads of any size; push/ keeps its wire format.
import type { SendOptions } from '../../../shared/campaigns.ts';
import type { MessageSpec } from '../../../shared/compose.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import type { Db } from '../db/database.ts';
import { buildPayload } from '../payload/build.ts';
import {
  bodyExcerpt,
  classifyResponse,
  type Classification,
  type PushServiceResponse,
} from '../push/classify.ts';
import type { EncryptItem, Encryptor } from '../push/encryptor.ts';
import type { AnswerKind } from '../push/adaptive-limit.ts';
import { buildPushRequest, splitEndpoint, type PushRequest } from '../push/request.ts';
import { retryDelay } from '../push/retry-policy.ts';
import type { Transport } from '../push/transport.ts';
import { VapidHeaders, type VapidKey } from '../push/vapid.ts';
import { FlowControl, type OriginFlow } from './flow-control.ts';
import { OriginBreaker, takeOrigin, type OriginPause } from './origin-breaker.ts';
import { JournalWriter, type DeliveryResult } from './journal-writer.ts';
import { SKIP_FREQUENCY_CAP } from '../../../shared/delivery-time-rules.ts';
import { frequencyCapCheck, type ReleaseRules } from '../delivery-time/frequency-cap.ts';

export interface RunCounters {
  delivered: number;
  expired: number;
  failed: number;
  uncertain: number;
  /** Left out by the frequency cap at release (delivery-time). */
  skipped: number;
  inFlight: number;
  retrying: number;
  /** When the last delivery waiting for a retry is due (ms since the epoch; 0 when none waits): the ETA. */
  retryDueAt: number;
  /** Answers received (any class), for the rate. */
  answered: number;
}

export type StopKind = 'pause' | 'cancel';

export interface EngineInput {
  db: Db;
  campaignId: number;
  subject: string;
  keys: VapidKey[];
  /** The app's current key, for subscriptions without a key id. */
  currentKeyId: number | null;
  message: MessageSpec;
  options: SendOptions;
  /** A/B variants by the journal's variant name: each delivery sends its own (variants.ts). */
  variants?: Record<string, { message: MessageSpec; options: SendOptions }>;
  transport: Transport;
  /** Where messages are encrypted (a pool of threads, or this one). */
  encryptor: Encryptor;
  now?: () => number;
  random?: () => number;
  /** The counters, and how each push-service origin is doing (its limit, latency, what holds it back). */
  onProgress?: (counters: RunCounters, origins: OriginFlow[]) => void;
  /** How long in-flight requests may finish after a stop before they are aborted (and become uncertain). */
  stopGraceMs?: number;
  /** Answers in a row that pause an origin (origin-breaker.ts has the defaults). */
  breakerThresholds?: ConstructorParameters<typeof OriginBreaker>[0];
  /** Timed campaigns (delivery-time): what this run releases, and the frequency cap it applies. */
  release?: ReleaseRules;
}

export interface EngineHandle {
  done: Promise<RunResult>;
  stop(kind: StopKind): void;
}

export interface RunResult {
  counters: RunCounters;
  stopped: StopKind | null;
  jwtSigned: number;
  /** Origins the circuit breaker paused, their deliveries left pending. */
  paused: OriginPause[];
}

interface Job {
  subscriptionId: number;
  endpoint: string;
  origin: string;
  /** The push service recorded for the subscription, for the breaker's messages. */
  service: string | null;
  p256dh: string;
  auth: string;
  keyId: number | null;
  label: string | null;
  fields: string | null;
  status: string;
  attempts: number;
  dueAt: number;
  sentAt?: number;
  sentInFlight?: number;
  /** Retries after a reset or GOAWAY that did not count as attempts, and whether the next one is one. */
  freeRetries: number;
  free: boolean;
  variant: string | null;
  /** The encrypted body (null: no payload); set once encrypted, kept for retries. */
  body?: Buffer | null;
}

interface PendingRow {
  id: number;
  service: string | null;
  attempts: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  key_id: number | null;
  label: string | null;
  fields: string | null;
  status: string;
  deleted_at: number | null;
  variant: string | null;
}

const PAGE = 512;
const DELETED = 'subscription deleted before it was sent to';
const HEARTBEAT_MS = 1000;
const STATE_CHECK_MS = 300;
const PROGRESS_MS = 100;
/**
 * Failures of the connection rather than of the request: a reset socket or stream, a GOAWAY, a refused
 * stream (RFC 9113 §8.7: not processed). Retried at once without counting an attempt, this many times.
 */
const CONNECTION_FAILURES = new Set(['connection reset', 'stream reset', 'goaway', 'refused stream']);
const MAX_FREE_RETRIES = 3;

function parseFields(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** What an answer says about its push service, for the origin's adaptive limit. */
function answerKind(verdict: Classification): AnswerKind {
  if (verdict.outcome === 'throttled') return 'throttled';
  // 5xx, resets, timeouts: the service (or the way to it) is struggling.
  if (verdict.outcome === 'transient') return 'failed';
  return 'ok';
}

/** '429 Retry-After 30 s', as the live progress shows why an origin is held back. */
function throttleText(response: PushServiceResponse, verdict: Classification): string {
  const after =
    verdict.retryAfterMs === null ? '' : ` Retry-After ${Math.round(verdict.retryAfterMs / 1000)} s`;
  return `${response.status ?? ''}${after}`.trim();
}

export function startEngine(input: EngineInput): EngineHandle {
  const now = input.now ?? Date.now;
  const random = input.random ?? Math.random;
  const { options, db, campaignId } = input;
  const vapid = new VapidHeaders(input.subject, now);
  const keys = new Map(input.keys.map((key) => [key.keyId, key]));
  const journal = new JournalWriter(db, campaignId);
  const counters: RunCounters = {
    delivered: 0,
    expired: 0,
    failed: 0,
    uncertain: 0,
    skipped: 0,
    inFlight: 0,
    retrying: 0,
    retryDueAt: 0,
    answered: 0,
  };
  // Deliveries of a timed campaign wait for their release (delivery-time/plan.ts); others have none.
  const releaseUntil = input.release?.until ?? Number.MAX_SAFE_INTEGER;
  const readPage = db.prepare(`
    SELECT d.subscription_id AS id, d.push_service AS service, d.attempts, s.endpoint, s.p256dh, s.auth, s.key_id, s.label, s.fields, s.status, s.deleted_at, d.variant
    FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
    WHERE d.campaign_id = ? AND d.state = 'pending' AND d.subscription_id > ? AND (d.release_at IS NULL OR d.release_at <= ?)
    ORDER BY d.subscription_id LIMIT ?`);
  const capped = frequencyCapCheck(db, campaignId, input.release);
  const readState = db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck();

  let cursor = 0;
  let exhausted = false;
  // Read from the journal, not yet encrypted.
  const queue: Job[] = [];
  // Encrypted and ready to start, in journal order.
  const ready: Job[] = [];
  let encrypting = 0;
  // Encrypt this far ahead of the sockets, so the sending thread never waits for the encryption threads.
  const ahead = Math.max(64, options.concurrency * 3);
  // Answers to requests that left together arrive together (a round trip of starts after a wave of answers):
  // keep about twice what is in flight read and encrypted, so those starts do not wait for the encryption
  // threads. A page's worth of rows is always read ahead.
  const wanted = () => Math.min(ahead, PAGE + 2 * counters.inFlight);
  const retries: Job[] = [];
  const flow = new FlowControl(options, now());
  const results: DeliveryResult[] = [];
  const breaker = new OriginBreaker(input.breakerThresholds);
  // Put back to pending after the next commit: answers of a paused origin's run, and its waiting retries.
  const requeue: Array<{ origin: string; subscriptionIds: number[] }> = [];
  const release: number[] = [];
  let stopped: StopKind | null = null;
  let stopAt = 0;
  let aborted = false;
  let finished = false;
  let pumpScheduled = false;
  let lastHeartbeat = 0;
  let lastStateCheck = 0;
  let lastProgress = 0;
  let resolveDone!: (result: RunResult) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<RunResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const ticker = setInterval(() => schedulePump(), 50);

  // One string per origin: flow control compares the origins of its lists job by job.
  const originNames = new Map<string, string>();
  function originName(origin: string): string {
    const known = originNames.get(origin);
    if (known !== undefined) return known;
    originNames.set(origin, origin);
    return origin;
  }

  function refill(): void {
    if (exhausted || stopped || queue.length + ready.length >= Math.max(PAGE, wanted())) return;
    const rows = readPage.all(campaignId, cursor, releaseUntil, PAGE) as PendingRow[];
    if (rows.length < PAGE) exhausted = true;
    for (const row of rows) {
      cursor = row.id;
      let jobOrigin: string;
      try {
        jobOrigin = originName(splitEndpoint(row.endpoint).origin);
      } catch (error) {
        finish(row.id, 'failed', 'not-sent', null, (error as Error).message, null, null);
        continue;
      }
      if (row.deleted_at !== null) {
        finish(row.id, 'failed', 'not-sent', null, DELETED, null, null);
        continue;
      }
      if (row.status !== 'active') {
        finish(row.id, 'expired', 'not-sent', null, 'subscription expired before it was sent to', null, null);
        continue;
      }
      if (capped?.(row.id)) {
        finish(row.id, 'skipped', 'not-sent', null, SKIP_FREQUENCY_CAP, null, null);
        continue;
      }
      if (breaker.isOpen(jobOrigin)) {
        breaker.wait(jobOrigin, 1);
        continue;
      }
      queue.push({
        subscriptionId: row.id,
        endpoint: row.endpoint,
        origin: jobOrigin,
        service: row.service,
        p256dh: row.p256dh,
        auth: row.auth,
        keyId: row.key_id ?? input.currentKeyId,
        label: row.label,
        fields: row.fields,
        status: row.status,
        attempts: row.attempts,
        dueAt: 0,
        freeRetries: 0,
        free: false,
        variant: row.variant,
        // Set later, declared now: every job keeps one shape (V8 hidden class) from the start.
        sentAt: undefined,
        sentInFlight: undefined,
        body: undefined,
      });
    }
  }

  function finish(
    subscriptionId: number,
    state: DeliveryResult['state'],
    outcome: DeliveryResult['outcome'],
    httpStatus: number | null,
    reason: string | null,
    excerpt: string | null,
    latencyMs: number | null,
    nextAttemptAt: number | null = null,
  ): void {
    results.push({
      subscriptionId,
      state,
      outcome,
      httpStatus,
      reason,
      bodyExcerpt: excerpt,
      latencyMs,
      nextAttemptAt,
    });
    if (state === 'sent') counters.delivered += 1;
    else if (state === 'expired') counters.expired += 1;
    else if (state === 'failed') counters.failed += 1;
    else if (state === 'uncertain') counters.uncertain += 1;
    else if (state === 'skipped') counters.skipped += 1;
  }

  function variantOf(job: Job) {
    return job.variant === null ? undefined : input.variants?.[job.variant];
  }

  function keyOf(job: Job): VapidKey | undefined {
    return job.keyId === null ? undefined : keys.get(job.keyId);
  }

  function notSent(job: Job, reason: string): void {
    finish(job.subscriptionId, 'failed', 'not-sent', null, reason.slice(0, 300), null, null);
  }

  /** Builds each payload here (personalised) and has the encryptor encrypt a batch ahead of need. */
  function encryptAhead(): void {
    const limit = wanted();
    while (!stopped && queue.length && ready.length + encrypting < limit) {
      const batch: Job[] = [];
      const items: EncryptItem[] = [];
      while (queue.length && batch.length < 32 && ready.length + encrypting + batch.length < limit) {
        const job = queue.shift()!;
        if (!keyOf(job)) {
          notSent(job, 'KEYS_LOCKED: the subscription’s VAPID key cannot be opened here');
          continue;
        }
        try {
          const payload = buildPayload(variantOf(job)?.message ?? input.message, {
            label: job.label,
            fields: parseFields(job.fields),
          });
          items.push({ plaintext: payload, p256dh: job.p256dh, auth: job.auth });
          batch.push(job);
        } catch (error) {
          notSent(job, isPushdeckError(error) ? `${error.code}: ${error.message}` : (error as Error).message);
        }
      }
      if (!batch.length) continue;
      encrypting += batch.length;
      input.encryptor.encrypt(items).then(
        (results) => {
          encrypting -= batch.length;
          results.forEach((result, i) => {
            const job = batch[i]!;
            if (result.error !== undefined) return notSent(job, result.error);
            if (breaker.isOpen(job.origin)) return breaker.wait(job.origin, 1);
            job.body = result.body
              ? Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength)
              : null;
            ready.push(job);
          });
          schedulePump();
        },
        (error: unknown) => {
          encrypting -= batch.length;
          for (const job of batch) notSent(job, `encryption failed: ${(error as Error).message}`);
          schedulePump();
        },
      );
    }
  }

  function prepare(job: Job): PushRequest {
    return buildPushRequest(
      job.endpoint,
      job.body ?? null,
      vapid.authorization(job.origin, keyOf(job)!),
      variantOf(job)?.options ?? options,
    );
  }

  function onAnswer(job: Job, response: PushServiceResponse): void {
    counters.inFlight -= 1;
    counters.answered += 1;
    const excerpt = response.body ? bodyExcerpt(response.body) : null;
    const latency = Math.round(response.latencyMs);
    const at = now();
    const verdict: Classification = classifyResponse(response, at);
    const aborted = stopped && response.status === null;
    flow.answered(
      job,
      {
        kind: aborted ? 'ignored' : answerKind(verdict),
        latencyMs: response.latencyMs,
        reason: response.status === null ? verdict.reason : `HTTP ${response.status}`,
      },
      at,
    );
    if (aborted) {
      // Aborted by the stop: it may or may not have reached the service.
      finish(
        job.subscriptionId,
        'uncertain',
        'transient',
        null,
        `stopped while in flight (${verdict.reason})`,
        null,
        latency,
      );
      return schedulePump();
    }
    const free =
      response.status === null &&
      CONNECTION_FAILURES.has(verdict.reason) &&
      job.freeRetries < MAX_FREE_RETRIES;
    // A GOAWAY fails every unprocessed stream of its connection at once: a wave of them, retried at once on
    // another connection, says nothing about the service yet. Only what fails again counts for the breaker.
    const streak = free ? null : breaker.record(job.origin, job.service, job.subscriptionId, verdict);
    if (streak) pauseOrigin(job.origin, streak);
    if (breaker.isOpen(job.origin) && verdict.outcome !== 'delivered' && verdict.outcome !== 'expired') {
      // The origin is paused: this delivery waits for the resume, with the answer that paused it.
      breaker.wait(job.origin, 1);
      results.push({
        subscriptionId: job.subscriptionId,
        state: 'pending',
        outcome: verdict.outcome,
        httpStatus: response.status,
        reason: verdict.reason,
        bodyExcerpt: excerpt,
        latencyMs: latency,
        nextAttemptAt: null,
      });
      return schedulePump();
    }
    if (free) {
      job.freeRetries += 1;
      job.free = true;
    }
    const delay = free ? Math.round(random() * 50) : retryDelay(verdict, job.attempts, options, random);
    if (delay !== null) {
      job.dueAt = at + delay;
      if (verdict.outcome === 'throttled')
        flow.backOff(job.origin, job.dueAt, throttleText(response, verdict));
      retries.push(job);
      counters.retrying += 1;
      counters.retryDueAt = Math.max(counters.retryDueAt, job.dueAt);
      results.push({
        subscriptionId: job.subscriptionId,
        state: 'retrying',
        outcome: verdict.outcome,
        httpStatus: response.status,
        reason: free ? `${verdict.reason} (retried without counting an attempt)` : verdict.reason,
        bodyExcerpt: excerpt,
        latencyMs: latency,
        nextAttemptAt: job.dueAt,
      });
      return schedulePump();
    }
    const final =
      verdict.outcome === 'delivered' ? 'sent' : verdict.outcome === 'expired' ? 'expired' : 'failed';
    finish(job.subscriptionId, final, verdict.outcome, response.status, verdict.reason, excerpt, latency);
    schedulePump();
  }

  /** Stops sending to an origin: what waits for it stays pending, the answers of its run go back to it. */
  function pauseOrigin(origin: string, streak: number[]): void {
    requeue.push({ origin, subscriptionIds: streak });
    breaker.wait(origin, takeOrigin(queue, origin).length + takeOrigin(ready, origin).length);
    const waiting = takeOrigin(retries, origin);
    if (waiting.length) {
      release.push(...waiting.map((job) => job.subscriptionId));
      counters.retrying -= waiting.length;
      if (counters.retrying === 0) counters.retryDueAt = 0;
      breaker.wait(origin, waiting.length);
    }
  }

  /** After a commit (their results are written): the paused origins' deliveries back to pending. */
  function requeuePaused(at: number): void {
    if (release.length) journal.release(release.splice(0), at);
    for (const { origin, subscriptionIds } of requeue.splice(0)) {
      const moved = journal.requeue(subscriptionIds, at);
      counters.failed -= moved;
      breaker.wait(origin, moved);
    }
  }

  function schedulePump(): void {
    if (pumpScheduled || finished) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      try {
        pump();
      } catch (error) {
        finished = true;
        clearInterval(ticker);
        rejectDone(error);
      }
    });
  }

  function pump(): void {
    const at = now();
    if (!stopped && at - lastStateCheck >= STATE_CHECK_MS) {
      lastStateCheck = at;
      // Another process (the CLI's `campaign cancel`, the app) may stop the campaign through the file.
      const state = readState.get(campaignId) as string | undefined;
      if (state === 'cancelled') requestStop('cancel');
      else if (state === 'paused') requestStop('pause');
    }
    if (stopped && counters.inFlight > 0 && at >= stopAt && !aborted) {
      aborted = true;
      input.transport.close().catch(() => undefined);
    }
    refill();
    encryptAhead();

    const starts: Array<{ job: Job; request: PushRequest }> = [];
    const uncounted = new Set<number>();
    if (!stopped) {
      for (const job of flow.take(retries, ready, at)) {
        if (job.dueAt > 0 && --counters.retrying === 0) counters.retryDueAt = 0;
        if (job.free) uncounted.add(job.subscriptionId);
        else job.attempts += 1;
        job.free = false;
        starts.push({ job, request: prepare(job) });
      }
    }

    const heartbeat = at - lastHeartbeat >= HEARTBEAT_MS;
    let refused = new Set<number>();
    if (results.length || starts.length || heartbeat) {
      refused = journal.commit(
        results.splice(0),
        starts.map((s) => s.job.subscriptionId),
        at,
        heartbeat,
        uncounted,
      );
      if (heartbeat) lastHeartbeat = at;
    }
    requeuePaused(at);
    for (const { job, request } of starts) {
      if (refused.has(job.subscriptionId)) {
        flow.answered(job, { kind: 'ignored', latencyMs: 0 }, at);
        finish(job.subscriptionId, 'failed', 'not-sent', null, DELETED, null, null);
        schedulePump();
        continue;
      }
      counters.inFlight += 1;
      input.transport.send(request).then(
        (response) => onAnswer(job, response),
        (error: unknown) =>
          onAnswer(job, { status: null, headers: {}, body: '', error: String(error), latencyMs: 0 }),
      );
    }

    if (at - lastProgress >= PROGRESS_MS) {
      lastProgress = at;
      input.onProgress?.({ ...counters }, flow.origins(at));
    }

    const idle =
      queue.length === 0 && ready.length === 0 && encrypting === 0 && exhausted && retries.length === 0;
    if (counters.inFlight === 0 && encrypting === 0 && (stopped || idle)) {
      finished = true;
      clearInterval(ticker);
      if (results.length) journal.commit(results.splice(0), [], now(), true);
      requeuePaused(now());
      input.onProgress?.({ ...counters }, flow.origins(now()));
      resolveDone({ counters: { ...counters }, stopped, jwtSigned: vapid.signed, paused: breaker.pauses() });
    }
  }

  function requestStop(kind: StopKind): void {
    if (stopped) return;
    stopped = kind;
    stopAt = now() + (input.stopGraceMs ?? 2000);
    // Deliveries waiting for a retry go back to pending for a resume (their 'retrying' rows first).
    if (retries.length) {
      journal.commit(results.splice(0), [], now(), false);
      journal.release(
        retries.splice(0).map((job) => job.subscriptionId),
        now(),
      );
      counters.retrying = 0;
      counters.retryDueAt = 0;
    }
    schedulePump();
  }

  schedulePump();
  return { done, stop: requestStop };
}
