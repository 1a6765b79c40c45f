// Runs a campaign from the main process (the Electron app, the CLI, tests): recovers the journal, opens
// the keys, starts the sending thread, turns its counters into `campaigns.progress` events
// (at most 10 a second) and settles the campaign's state when they end.
import os from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import type {
  CampaignProgress,
  CampaignRunEnd,
  CampaignState,
  RunOutcome,
  ServiceProgress,
} from '../../../shared/campaigns.ts';
import type { MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { signingKey } from '../apps/apps.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import { diskFullError, isDiskFull } from '../db/disk-full.ts';
import { workerUrl } from '../workers.ts';
import { pushServiceOf } from '../subscriptions/push-service.ts';
import type { RunCounters, StopKind } from './engine.ts';
import type { OriginFlow } from './flow-control.ts';
import { recoverJournal } from './journal.ts';
import { describePauses, type OriginPause } from './origin-breaker.ts';
import { currentTotals } from './journal-summary.ts';
import type { SendWorkerCommand, SendWorkerData, SendWorkerMessage } from './send-worker.ts';
import { proxyForSending } from '../settings/sending-settings.ts';
import { parseStoredVariants, variantSends } from './variants.ts';
import { storedSendOptions } from './stored-options.ts';
import { releaseRules, waitingRelease } from '../delivery-time/release.ts';

export interface RunOptions {
  /** Extra CA certificates to trust (PEM). */
  ca?: string[];
  /** Proxy URL for every request; otherwise HTTPS_PROXY / NO_PROXY (or PUSHDECK_PROXY). */
  proxy?: string;
  resendUncertain?: boolean;
  onProgress?: (progress: CampaignProgress) => void;
}

export type { RunOutcome } from '../../../shared/campaigns.ts';

export interface CampaignRun {
  campaignId: number;
  done: Promise<RunOutcome>;
  stop(kind: StopKind): void;
}

const PROGRESS_INTERVAL_MS = 100;
const active = new Map<string, CampaignRun>();
const runKey = (ctx: CoreContext, campaignId: number) => `${ctx.dbPath}#${campaignId}`;

export function activeRun(ctx: CoreContext, campaignId: number): CampaignRun | undefined {
  return active.get(runKey(ctx, campaignId));
}

interface CampaignRow {
  id: number;
  app_id: number;
  name: string;
  state: CampaignState;
  message: string;
  options: string;
  variants: string | null;
  timing: string | null;
  runner_pid: number | null;
  heartbeat_at: number | null;
}

/** Whether a process may still be writing this campaign's journal (its sending thread, here or elsewhere). */
export function senderAlive(
  ctx: CoreContext,
  row: { id: number; runner_pid: number | null; heartbeat_at: number | null },
): boolean {
  if (activeRun(ctx, row.id)) return true;
  if (row.runner_pid === null) return false;
  // This process's runs are all in `active` on its main thread; another thread of it (the query thread)
  // cannot see them, and trusts the heartbeat as it does for other processes.
  if (row.runner_pid === process.pid && isMainThread) return false;
  try {
    process.kill(row.runner_pid, 0);
  } catch {
    return false;
  }
  // The pid lives, but it may be another program by now: trust it only while it keeps writing.
  return ctx.now() - (row.heartbeat_at ?? 0) <= 30_000;
}

/** A campaign in 'sending' whose sender is gone (killed, quit, crashed) or quiet for too long. */
export function isInterrupted(
  ctx: CoreContext,
  row: { id: number; state: string; runner_pid: number | null; heartbeat_at: number | null },
): boolean {
  return row.state === 'sending' && !senderAlive(ctx, row);
}

/** Starts sending the pending deliveries of a campaign whose journal exists. */
export function startRun(ctx: CoreContext, campaignId: number, runOptions: RunOptions = {}): CampaignRun {
  if (activeRun(ctx, campaignId)) {
    throw new PushdeckError('CAMPAIGN_RUNNING', `Campaign ${campaignId} is already sending.`);
  }
  const row = ctx.db
    .prepare(
      'SELECT id, app_id, name, state, message, options, variants, timing, runner_pid, heartbeat_at FROM campaigns WHERE id = ?',
    )
    .get(campaignId) as CampaignRow | undefined;
  if (!row) throw new PushdeckError('CAMPAIGN_NOT_FOUND', `No campaign with id ${campaignId}.`);
  const app = ctx.db.prepare('SELECT subject FROM apps WHERE id = ?').get(row.app_id) as { subject: string };
  const keyRows = ctx.db
    .prepare('SELECT id, retired_at FROM app_keys WHERE app_id = ? ORDER BY id')
    .all(row.app_id) as Array<{ id: number; retired_at: number | null }>;
  const current = keyRows.find((key) => key.retired_at === null)?.id ?? null;
  const keys: SendWorkerData['keys'] = [];
  for (const keyRow of keyRows) {
    try {
      const key = signingKey(ctx, keyRow.id);
      keys.push({ keyId: key.keyId, publicKey: key.publicKey, privateKey: new Uint8Array(key.privateKey) });
    } catch (error) {
      // The current key must open; a retired key that cannot only fails its own subscriptions.
      if (keyRow.id === current) throw error;
    }
  }

  const startedAt = ctx.now();
  // Claim the campaign against the state read above: of two processes resuming it at once, one sends.
  const claimed = ctx.db
    .prepare(
      `UPDATE campaigns SET state = 'sending', runner_pid = ?, heartbeat_at = ?, started_at = COALESCE(started_at, ?),
         finished_at = NULL, last_error = NULL, updated_at = ?
       WHERE id = ? AND state = ? AND runner_pid IS ?`,
    )
    .run(process.pid, startedAt, startedAt, startedAt, campaignId, row.state, row.runner_pid).changes;
  if (claimed !== 1) {
    throw new PushdeckError(
      'CAMPAIGN_RUNNING',
      `Campaign ${campaignId} was just started by another process.`,
    );
  }
  recoverJournal(ctx.db, campaignId, startedAt, runOptions.resendUncertain);
  // A summary still stored after the recovery counts the journal as it is (the triggers clear it otherwise).
  const base = currentTotals(ctx.db, campaignId);
  const message = JSON.parse(row.message) as MessageSpec;
  const options = storedSendOptions(row.options);
  // One sending thread owns the file and the sockets (two writers of one SQLite file wait on each other's
  // locks); encryption, most of the CPU, goes to threads on the other cores. Small runs encrypt in place.
  const encryptionThreads =
    base.pending < 200
      ? 0
      : options.workers > 0
        ? options.workers
        : Math.min(2, os.availableParallelism()) - 1;
  const proxy =
    // The run's own, then PUSHDECK_PROXY (one run), then Settings; without any, HTTPS_PROXY / NO_PROXY.
    runOptions.proxy ?? process.env.PUSHDECK_PROXY ?? proxyForSending(ctx) ?? undefined;

  let counters: RunCounters | null = null;
  let paused: OriginPause[] = [];
  let stopRequested: StopKind | null = null;
  let lastEmit = 0;
  let trailing: NodeJS.Timeout | null = null;
  const samples: Array<{ at: number; answered: number }> = [];
  let origins: OriginFlow[] = [];
  // Each origin's answered count about 5 s ago and now, for its rate.
  const originSamples = new Map<string, Array<{ at: number; answered: number }>>();

  const services = (now: number): ServiceProgress[] =>
    origins.map((o) => {
      let history = originSamples.get(o.origin);
      if (!history) originSamples.set(o.origin, (history = []));
      history.push({ at: now, answered: o.answered });
      while (history.length > 2 && now - history[0]!.at > 5000) history.shift();
      const span = (now - history[0]!.at) / 1000;
      const rate = span > 0.2 ? (o.answered - history[0]!.answered) / span : 0;
      return {
        origin: o.origin,
        pushService: pushServiceOf(o.origin),
        inFlight: o.inFlight,
        limit: o.limit,
        latencyMs: o.latencyMs,
        floorMs: o.floorMs,
        rate: Math.round(rate * 10) / 10,
        holdBack: o.holdBack,
      };
    });

  const progress = (finished: boolean, state: CampaignState = 'sending'): CampaignProgress => {
    const sum = (field: keyof RunCounters) => counters?.[field] ?? 0;
    const delivered = base.delivered + sum('delivered');
    const expired = base.expired + sum('expired');
    const failed = base.failed + sum('failed');
    const uncertain = base.uncertain + sum('uncertain');
    const skipped = base.skipped + sum('skipped');
    const inFlight = sum('inFlight');
    const retrying = sum('retrying');
    const pending = Math.max(
      0,
      base.recipients - delivered - expired - failed - uncertain - skipped - inFlight - retrying,
    );
    const now = ctx.now();
    samples.push({ at: now, answered: sum('answered') });
    while (samples.length > 2 && now - samples[0]!.at > 5000) samples.shift();
    const first = samples[0]!;
    const span = (now - first.at) / 1000;
    const rate = span > 0.2 ? (samples[samples.length - 1]!.answered - first.answered) / span : 0;
    return {
      campaignId,
      state,
      recipients: base.recipients,
      delivered,
      expired,
      failed,
      retrying,
      inFlight,
      uncertain,
      skipped,
      pending,
      rate: Math.round(rate * 10) / 10,
      etaSeconds: eta(pending + retrying + inFlight, rate, retrying > 0 ? sum('retryDueAt') - now : 0),
      finished,
      services: services(now),
    };
  };
  // The rest at the current rate, but never less than the wait for the last retry a push service
  // asked for (Retry-After): a 2-minute back-off is not "5s left".
  const eta = (left: number, rate: number, retryWaitMs: number): number | null => {
    const atRate = rate > 0 ? Math.ceil(left / rate) : null;
    const wait = Math.ceil(Math.max(0, retryWaitMs) / 1000);
    if (atRate === null) return wait > 0 ? wait : null;
    return Math.max(atRate, wait);
  };
  const emit = (value: CampaignProgress) => {
    lastEmit = ctx.now();
    ctx.events.emit('campaigns.progress', value);
    runOptions.onProgress?.(value);
  };
  // At most one event per interval: the first change after a quiet interval goes out at once, later ones
  // wait for the interval's end and go out together.
  const maybeEmit = () => {
    if (trailing) return;
    const wait = PROGRESS_INTERVAL_MS - (ctx.now() - lastEmit);
    if (wait <= 0) emit(progress(false));
    else
      trailing = setTimeout(() => {
        trailing = null;
        emit(progress(false));
      }, wait);
  };

  const data: SendWorkerData = {
    dbPath: ctx.dbPath,
    campaignId,
    subject: app.subject,
    keys,
    currentKeyId: current,
    message,
    options,
    variants: variantSends(parseStoredVariants(row.variants), options),
    release: releaseRules(row.timing, startedAt),
    encryptionThreads,
    ca: runOptions.ca,
    proxy,
  };
  const worker = new Worker(workerUrl(import.meta.url, 'send-worker'), {
    workerData: data,
    // A bounded young generation keeps a million-recipient run's memory flat; nothing it holds grows with it.
    // 16 MB, not 8: with 1,024 requests in flight each scavenge copies the live exchanges, and at 8 MB the
    // thread scavenged ~125 times per 20,000 messages (~20 KB allocated per message, mostly Node's HTTP/2
    // stream); at 16 MB ~65 times (--trace-gc, issue 16), for ~10 MB more RSS.
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 },
  });
  const ended = new Promise<string | null>((resolve) => {
    let settled = false;
    const settle = (error: string | null) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(error);
    };
    worker.on('message', (msg: SendWorkerMessage) => {
      if (msg.type === 'progress') {
        counters = msg.counters;
        origins = msg.origins;
        maybeEmit();
      } else if (msg.type === 'done') {
        counters = msg.result.counters;
        paused = msg.result.paused;
        settle(null);
      } else settle(msg.message);
    });
    worker.on('error', (error) => settle(error.message));
    worker.on('exit', (code) => settle(code === 0 ? null : `sending thread exited with code ${code}`));
  });

  const done = ended.then((failure): RunOutcome => {
    // A push service the breaker paused is said like an error: what it answered and what to fix.
    const error = failure ?? describePauses(paused);
    if (trailing) clearTimeout(trailing);
    active.delete(runKey(ctx, campaignId));
    const at = ctx.now();
    // The sending thread summed up the journal before it ended (unless it failed: then count here).
    const totals = currentTotals(ctx.db, campaignId);
    const dbState = ctx.db
      .prepare('SELECT state FROM campaigns WHERE id = ?')
      .pluck()
      .get(campaignId) as CampaignState;
    let state: CampaignState;
    // A timed campaign whose later zones wait for their release goes back to the schedule.
    let nextRelease: number | null = null;
    if (dbState === 'paused' || dbState === 'cancelled') state = dbState;
    else if (stopRequested) state = stopRequested === 'pause' ? 'paused' : 'cancelled';
    else if (!error && (nextRelease = waitingRelease(ctx.db, campaignId, totals, startedAt)) !== null)
      state = 'scheduled';
    else if (error || totals.pending + totals.retrying + totals.inFlight > 0) state = 'paused';
    else state = 'completed';
    ctx.db
      .prepare(
        `UPDATE campaigns SET state = ?, runner_pid = NULL, last_error = ?, updated_at = ?,
           scheduled_at = CASE WHEN ? = 'scheduled' THEN ? ELSE scheduled_at END,
           finished_at = CASE WHEN ? IN ('completed', 'cancelled') THEN ? ELSE finished_at END WHERE id = ?`,
      )
      .run(state, error, at, state, nextRelease, state, at, campaignId);
    appendAudit(ctx.db, at, {
      action: 'campaign.send',
      appId: row.app_id,
      subject: row.name,
      details: { campaignId, state, ...totals },
    });
    emit({ ...progress(true, state), pending: totals.pending, inFlight: 0, retrying: totals.retrying });
    ctx.events.emit('data.changed', { scopes: ['campaigns', 'subscriptions'] });
    return { campaignId, state, totals, error };
  });

  // Whoever follows the run through the core's events (the CLI) hears how it ended, or why that is unknown.
  done.then(
    (outcome) => ctx.events.emit('campaigns.ended', runEnd(ctx, campaignId, outcome, outcome.error)),
    (error: unknown) => ctx.events.emit('campaigns.ended', runEnd(ctx, campaignId, null, error)),
  );

  const run: CampaignRun = {
    campaignId,
    done,
    stop(kind) {
      if (stopRequested) return;
      stopRequested = kind;
      ctx.db
        .prepare("UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ? AND state = 'sending'")
        .run(kind === 'pause' ? 'paused' : 'cancelled', ctx.now(), campaignId);
      worker.postMessage({ type: 'stop', kind } satisfies SendWorkerCommand);
    },
  };
  active.set(runKey(ctx, campaignId), run);
  ctx.events.emit('data.changed', { scopes: ['campaigns'] });
  emit(progress(false));
  return run;
}

/** A full disk says what became of the run and what to run once there is space. */
function runEnd(
  ctx: CoreContext,
  campaignId: number,
  outcome: RunOutcome | null,
  failure: unknown,
): CampaignRunEnd {
  if (isDiskFull(failure)) {
    const { code, message } = diskFullError(
      ctx.dbPath,
      `Campaign ${campaignId} stopped; what it sent is recorded. Free some space, then: pushdeck campaign resume ${campaignId}`,
    );
    return { campaignId, outcome, error: { code, message } };
  }
  if (outcome) return { campaignId, outcome, error: null };
  const message = failure instanceof Error ? failure.message : String(failure);
  return { campaignId, outcome, error: { code: 'INTERNAL', message } };
}
