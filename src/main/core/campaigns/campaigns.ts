// Campaigns: create a draft, send it (journal + sending threads), pause, resume, cancel, retry the failed,
// duplicate, delete a draft, and read them back with their totals.
import {
  sendOptionsSchema,
  type CampaignRequest,
  type CampaignState,
  type CampaignSummary,
  type CampaignTotals,
  type SendOptions,
} from '../../../shared/campaigns.ts';
import type { MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp, signingKey } from '../apps/apps.ts';
import { appendAudit, type AuditEntry } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import { likeLiteral, whereOf } from '../db/where.ts';
import { buildPayload } from '../payload/build.ts';
import { withResolvedLinks } from '../payload/campaign-links.ts';
import { checkPayloadSize, WARN_PLAINTEXT_BYTES } from '../push/encryption.ts';
import { validatePushOptions } from '../push/request.ts';
import {
  computeSummary,
  journalTotals,
  parseStoredResults,
  refreshSummary,
  refreshTotals,
  type JournalSummary,
} from './journal-summary.ts';
import {
  activeRun,
  isInterrupted,
  senderAlive,
  startRun,
  type CampaignRun,
  type RunOptions,
  type RunOutcome,
} from './runner.ts';
import { proxyForSending, readSendingSettings } from '../settings/sending-settings.ts';
import type { StoredVariants, VariantPlan } from '../../../shared/variants.ts';
import { preparePlan, variantFindings } from './variant-checks.ts';
import { writeStart } from './start-journal.ts';
import { writeStartOnThread } from './start-thread.ts';
import type { StoredTiming } from '../delivery-time/plan.ts';
import { copyTiming } from '../delivery-time/campaign-timing.ts';
import { timingSummary } from '../delivery-time/zone-progress.ts';

export interface CampaignRow {
  id: number;
  app_id: number;
  app_name: string;
  name: string;
  state: CampaignState;
  message: string;
  options: string;
  audience: string;
  scheduled_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  created_at: number;
  runner_pid: number | null;
  heartbeat_at: number | null;
  last_error: string | null;
  results_summary: string | null;
  variants: string | null;
  timing: string | null;
}

const campaignSelect = `SELECT c.*, a.name AS app_name FROM campaigns c JOIN apps a ON a.id = c.app_id`;

export function campaignRow(ctx: CoreContext, id: number): CampaignRow {
  const row = ctx.db.prepare(`${campaignSelect} WHERE c.id = ?`).get(id) as CampaignRow | undefined;
  if (!row)
    throw new PushdeckError('CAMPAIGN_NOT_FOUND', `No campaign with id ${id}. See pushdeck campaign list.`);
  return row;
}

/** Reads wait this long at most for another writer to store what they counted (IPC waits meanwhile). */
const READ_STORE_WAIT_MS = 50;

/**
 * Whether nobody writes the journal any more: paused, completed or cancelled, its sender gone (paused or
 * cancelled through the file, a sender elsewhere first finishes its requests in flight).
 */
function settled(ctx: CoreContext, row: CampaignRow): boolean {
  if (row.state === 'draft' || row.state === 'scheduled' || row.state === 'sending') return false;
  return !senderAlive(ctx, row);
}

/**
 * Totals, breakdowns and latency of a campaign: counted live while it may change; once settled, stored on
 * first read (or at the end of its run) and read back from then on.
 */
export function campaignResults(ctx: CoreContext, row: CampaignRow): JournalSummary {
  if (!settled(ctx, row)) return computeSummary(ctx.db, row.id);
  return (
    parseStoredResults(row.results_summary)?.summary ??
    refreshSummary(ctx.db, row.id, { lockWaitMs: READ_STORE_WAIT_MS })
  );
}

function campaignTotals(ctx: CoreContext, row: CampaignRow): CampaignTotals {
  if (!settled(ctx, row)) return journalTotals(ctx.db, row.id);
  return (
    parseStoredResults(row.results_summary)?.totals ??
    refreshTotals(ctx.db, row.id, { lockWaitMs: READ_STORE_WAIT_MS })
  );
}

export function toSummary(
  ctx: CoreContext,
  row: CampaignRow,
  totals: CampaignTotals = campaignTotals(ctx, row),
): CampaignSummary {
  return {
    id: row.id,
    appId: row.app_id,
    appName: row.app_name,
    name: row.name,
    state: row.state,
    interrupted: isInterrupted(ctx, row),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    scheduledAt: row.scheduled_at,
    totals,
    timing: timingSummary(ctx.db, row.id, row.timing, ctx.now()),
  };
}

export function campaignSummary(ctx: CoreContext, id: number): CampaignSummary {
  return toSummary(ctx, campaignRow(ctx, id));
}

export function listCampaigns(
  ctx: CoreContext,
  filter: { appId?: number; state?: CampaignState; search?: string } = {},
): CampaignSummary[] {
  const { where, params } = whereOf([
    filter.appId !== undefined && ['c.app_id = ?', filter.appId],
    filter.state && ['c.state = ?', filter.state],
    filter.search && ["c.name LIKE ? ESCAPE '\\'", `%${likeLiteral(filter.search)}%`],
  ]);
  const rows = ctx.db
    .prepare(`${campaignSelect} ${where} ORDER BY c.id DESC`)
    .all(...params) as CampaignRow[];
  return rows.map((row) => toSummary(ctx, row));
}

/** Each variant's message checked as one, and the differences between them. */
function planWarnings(plan: VariantPlan, options: SendOptions): string[] {
  const own = plan.variants.flatMap((v) => {
    try {
      return checkMessage(v.message).map((w) => `Variant ${v.name}: ${w}`);
    } catch (error) {
      if (error instanceof PushdeckError)
        throw new PushdeckError(error.code, `Variant ${v.name}: ${error.message}`);
      throw error;
    }
  });
  return [...own, ...variantFindings(plan, options).map((f) => `${f.message} ${f.fix}`)];
}

/** Checks a message before anything is stored or sent; returns warnings a person should see. */
export function checkMessage(message: MessageSpec): string[] {
  const payload = buildPayload(message, { label: null, fields: null });
  if (!payload) return [];
  checkPayloadSize(payload);
  return payload.length > WARN_PLAINTEXT_BYTES
    ? [
        `The payload is ${payload.length} bytes: Firefox on Android drops payloads above about ${WARN_PLAINTEXT_BYTES}.`,
      ]
    : [];
}

/** A new draft's row, its columns as stored (JSON as text); returns its id. */
function insertDraft(
  ctx: CoreContext,
  at: number,
  draft: Pick<CampaignRow, 'app_id' | 'name' | 'message' | 'options' | 'audience' | 'variants' | 'timing'>,
): number {
  const insert = ctx.db.prepare(
    `INSERT INTO campaigns (app_id, name, state, message, options, audience, created_at, updated_at, variants, timing)
     VALUES (@app_id, @name, 'draft', @message, @options, @audience, @at, @at, @variants, @timing)`,
  );
  return Number(insert.run({ ...draft, at }).lastInsertRowid);
}

/** Creates a draft from a request the door checked against campaigns.create's schema. */
export function createCampaign(
  ctx: CoreContext,
  parsed: CampaignRequest,
): { campaign: CampaignSummary; warnings: string[] } {
  const app = getApp(ctx, parsed.appId);
  // A campaign that names no timeout takes the one in Settings (1 to 600 s, within the option's range).
  const options: SendOptions = {
    ...sendOptionsSchema.parse({}),
    ...parsed.options,
    timeoutMs: parsed.options?.timeoutMs ?? readSendingSettings(ctx.db).timeoutSeconds * 1000,
  };
  validatePushOptions(options);
  const plan = parsed.variants ? preparePlan(parsed.variants, parsed.name) : null;
  if (plan && parsed.timing?.localTime) {
    throw new PushdeckError(
      'TIMING_WITH_VARIANTS',
      'A/B variants cannot be sent at a local time yet: send the variants at one time, or drop them.',
    );
  }
  const timing: StoredTiming | null = parsed.timing ? { requested: parsed.timing, resolved: null } : null;
  // A variants campaign's message is its first variant's (lists and copies show it).
  const message = plan ? plan.variants[0]!.message : withResolvedLinks(parsed.message, parsed.name);
  const warnings = plan ? planWarnings(plan, options) : checkMessage(message);
  const at = ctx.now();
  const name =
    parsed.name ??
    `${parsed.message.notification?.title || 'Campaign'} — ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')}`;
  const id = insertDraft(ctx, at, {
    app_id: app.id,
    name,
    message: JSON.stringify(message),
    options: JSON.stringify(options),
    audience: JSON.stringify(parsed.audience),
    variants: plan ? JSON.stringify({ ...plan, restVariant: null } satisfies StoredVariants) : null,
    timing: timing ? JSON.stringify(timing) : null,
  });
  appendAudit(ctx.db, at, campaignEntry('campaign.create', campaignRow(ctx, id)));
  return { campaign: campaignSummary(ctx, id), warnings };
}

export interface StartOptions extends RunOptions {
  /**
   * Started by the schedule: the campaign must still be scheduled and due (not unscheduled or moved later
   * since the due check), or CAMPAIGN_NOT_DUE is thrown and nothing is sent.
   */
  scheduled?: boolean;
}

/**
 * The checks before a start (a campaign between two releases goes straight to its next run). Returns the
 * run, or the row and instant to write the start with.
 */
function beforeStart(
  ctx: CoreContext,
  id: number,
  options: StartOptions,
): { run: CampaignRun } | { row: CampaignRow; at: number } {
  const row = campaignRow(ctx, id);
  // A timed campaign between two releases: its journal exists, the next zones are due.
  if (row.state === 'scheduled' && row.started_at !== null) {
    if (options.scheduled && (row.scheduled_at ?? Infinity) > ctx.now()) {
      throw new PushdeckError('CAMPAIGN_NOT_DUE', `Campaign ${id}'s next zone is not due yet.`);
    }
    return { run: startRun(ctx, id, options) };
  }
  if (row.state !== 'draft' && row.state !== 'scheduled') {
    throw new PushdeckError(
      'CAMPAIGN_NOT_DRAFT',
      `Campaign ${id} is ${row.state}: only a draft is sent. Resume it, or duplicate it as a new draft.`,
    );
  }
  // The key must open before anything is written (a locked key leaves the campaign a draft).
  const app = getApp(ctx, row.app_id);
  if (app.keyId === null) throw new PushdeckError('KEY_NOT_FOUND', `The app ${app.name} has no key.`);
  signingKey(ctx, app.keyId);
  // So does the proxy password of Settings, when that is the proxy the run will use.
  if (!options.proxy && !process.env.PUSHDECK_PROXY) proxyForSending(ctx);
  return { row, at: ctx.now() };
}

/** Snapshots the audience into the journal and starts sending a draft (or due scheduled) campaign. */
export function startSend(ctx: CoreContext, id: number, options: StartOptions = {}): CampaignRun {
  const ready = beforeStart(ctx, id, options);
  if ('run' in ready) return ready.run;
  writeStart(ctx.db, ready.row, options.scheduled ?? false, ready.at);
  return startRun(ctx, id, options);
}

/**
 * The same, for the main process: the start's one transaction (the audience's journal, a zone plan) is
 * written on a start thread (start-thread.ts; 4–6 s at a million recipients), so IPC and the window keep
 * answering meanwhile. Like startSend it throws at once when the campaign cannot start (keys locked, not a
 * draft…); what fails on the thread rejects the promise.
 */
export function startSendOffMain(
  ctx: CoreContext,
  id: number,
  options: StartOptions = {},
): Promise<CampaignRun> {
  const ready = beforeStart(ctx, id, options);
  if ('run' in ready) return Promise.resolve(ready.run);
  return writeStartOnThread(ctx.dbPath, ready.row, options.scheduled ?? false, ready.at).then(() =>
    startRun(ctx, id, options),
  );
}

/** Sends a draft and resolves when it ends (the scheduler's starter, and `pushdeck send`). */
export function sendCampaign(ctx: CoreContext, id: number, options: StartOptions = {}): Promise<RunOutcome> {
  return startSend(ctx, id, options).done;
}

export function startResume(ctx: CoreContext, id: number, options: RunOptions = {}): CampaignRun {
  const row = campaignRow(ctx, id);
  const resumable = row.state === 'paused' || (row.state === 'sending' && isInterrupted(ctx, row));
  if (!resumable) {
    const why =
      row.state === 'sending'
        ? 'it is still sending'
        : row.state === 'draft'
          ? 'it was never sent: send it'
          : `it is ${row.state}`;
    throw new PushdeckError('CAMPAIGN_NOT_RESUMABLE', `Campaign ${id} cannot be resumed: ${why}.`);
  }
  return startRun(ctx, id, options);
}

/** Pauses (or cancels) a running campaign, here or in another process (through the file). */
export function stopCampaign(ctx: CoreContext, id: number, kind: 'pause' | 'cancel'): CampaignSummary {
  const row = campaignRow(ctx, id);
  const run = activeRun(ctx, id);
  if (run) {
    run.stop(kind);
  } else if (kind === 'pause') {
    // A timed campaign between two releases pauses too: its later zones wait for a resume.
    const between = row.state === 'scheduled' && row.started_at !== null;
    if (row.state !== 'sending' && !between) {
      throw new PushdeckError(
        'CAMPAIGN_NOT_SENDING',
        `Campaign ${id} is ${row.state}: only a sending campaign pauses.`,
      );
    }
    ctx.db.prepare("UPDATE campaigns SET state = 'paused', updated_at = ? WHERE id = ?").run(ctx.now(), id);
  } else {
    if (row.state === 'completed' || row.state === 'cancelled') {
      throw new PushdeckError('CAMPAIGN_FINISHED', `Campaign ${id} is already ${row.state}.`);
    }
    const at = ctx.now();
    ctx.db
      .prepare("UPDATE campaigns SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?")
      .run(at, at, id);
  }
  return campaignSummary(ctx, id);
}

/** Puts the failed deliveries back to pending and sends them again. */
export function startRetryFailed(ctx: CoreContext, id: number, options: RunOptions = {}): CampaignRun {
  const row = campaignRow(ctx, id);
  if (row.state === 'sending' || row.state === 'draft' || row.state === 'scheduled') {
    throw new PushdeckError(
      'CAMPAIGN_NOT_FINISHED',
      `Campaign ${id} is ${row.state}: retry its failures once it has stopped.`,
    );
  }
  const changed = ctx.db
    .prepare(
      // Not those of subscriptions deleted for good (negative ids, migration 007): nowhere to send.
      "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE campaign_id = ? AND state = 'failed' AND subscription_id > 0",
    )
    .run(ctx.now(), id).changes;
  if (changed === 0) throw new PushdeckError('NOTHING_TO_RETRY', `Campaign ${id} has no failed deliveries.`);
  return startRun(ctx, id, options);
}

export function duplicateCampaign(ctx: CoreContext, id: number): CampaignSummary {
  const { app_id, name, message, options, audience, variants, timing } = campaignRow(ctx, id);
  const newId = insertDraft(ctx, ctx.now(), {
    app_id,
    name: `${name} (copy)`,
    message,
    options,
    audience,
    // The copy is a new test: the held part and the winner are not copied.
    variants: variants === null ? null : JSON.stringify({ ...JSON.parse(variants), restVariant: null }),
    timing: copyTiming(timing),
  });
  return campaignSummary(ctx, newId);
}

export function deleteDraft(ctx: CoreContext, id: number): void {
  const row = campaignRow(ctx, id);
  if (row.state !== 'draft' && row.state !== 'scheduled') {
    throw new PushdeckError(
      'CAMPAIGN_NOT_DRAFT',
      `Campaign ${id} is ${row.state}: only drafts are deleted; its results stay.`,
    );
  }
  ctx.db.prepare('DELETE FROM campaigns WHERE id = ?').run(id);
  appendAudit(ctx.db, ctx.now(), campaignEntry('campaign.delete', row));
}

/** A campaign's audit entry: its app, its name and id. */
export function campaignEntry(action: string, row: CampaignRow, details = {}): AuditEntry {
  return { action, appId: row.app_id, subject: row.name, details: { campaignId: row.id, ...details } };
}
