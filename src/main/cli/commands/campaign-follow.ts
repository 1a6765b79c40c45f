// How the CLI follows a send: a progress line on stderr (at most a few a second), Ctrl+C to pause, and the
// result object that `send` and `campaign resume` print.
import type { CampaignVariants } from '../../../shared/variants.ts';
import type {
  CampaignDetail,
  CampaignProgress,
  CampaignRunEnd,
  CampaignSummary,
  DryRunReport,
  RunOutcome,
  ServiceProgress,
} from '../../../shared/campaigns.ts';
import type { ChannelInput } from '../../../shared/contract.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { Call, On } from '../dispatcher.ts';
import { printData, table, type Output } from '../output.ts';
import type { CommandEnv } from '../program.ts';
import { timingRows } from './timing.ts';

const serviceNames: Record<string, string> = { fcm: 'FCM', mozilla: 'Mozilla', apple: 'Apple', wns: 'WNS' };

/** "FCM: 380 in flight, limit 412, 82 ms, 3950 msg/s" and, when held back, why. */
export function serviceLine(s: ServiceProgress): string {
  const name = serviceNames[s.pushService] ?? s.origin.replace(/^https?:\/\//, '');
  const latency = s.latencyMs === null ? '' : `, ${s.latencyMs} ms`;
  const why = s.holdBack ? ` (${s.holdBack})` : '';
  return `${name}: ${s.inFlight} in flight, limit ${s.limit}${latency}, ${Math.round(s.rate)} msg/s${why}`;
}

export function progressLine(p: CampaignProgress): string {
  const done = p.delivered + p.expired + p.failed + p.uncertain;
  const parts = [
    `${done}/${p.recipients}`,
    `${p.delivered} delivered`,
    `${p.expired} expired`,
    `${p.failed} failed`,
  ];
  if (p.retrying) parts.push(`${p.retrying} retrying`);
  if (p.uncertain) parts.push(`${p.uncertain} uncertain`);
  parts.push(`${Math.round(p.rate)} msg/s`);
  if (p.etaSeconds !== null && !p.finished) parts.push(`${p.etaSeconds}s left`);
  // While sending, each push service's limit, latency, rate and what holds it back.
  const services = p.finished ? [] : p.services.map(serviceLine);
  return [`${p.finished ? p.state : 'sending'}: ${parts.join(' · ')}`, ...services].join(' | ');
}

/** A line on stderr: an updating line on a terminal (at most every `ttyMs`), a line every `pipeMs` otherwise. */
export function stderrLine(out: Output, ttyMs: number, pipeMs = 1000) {
  const tty = Boolean(process.stderr.isTTY);
  let last = 0;
  let wrote = false;
  return {
    /** A `final` line is always shown. */
    show(line: string, final = false) {
      const now = Date.now();
      if (!final && now - last < (tty ? ttyMs : pipeMs)) return;
      last = now;
      wrote = true;
      if (tty) process.stderr.write(`\r${line}`);
      else out.stderr(line);
    },
    end() {
      if (tty && wrote) process.stderr.write('\n');
    },
  };
}

/**
 * A dry run through the door, with its progress on stderr (a line a second off a terminal); Ctrl+C stops it
 * (campaigns.dryRun.cancel), and the report then covers the recipients checked so far.
 */
export async function followDryRun(
  env: CommandEnv,
  call: Call,
  on: On,
  request: Omit<ChannelInput<'campaigns.dryRun'>, 'runId'>,
): Promise<DryRunReport> {
  const out = env.output();
  const line = stderrLine(out, 1000);
  // One dry run per command: the process names it.
  const runId = `cli-${process.pid}`;
  const off = on('campaigns.dryRun.progress', (p) => {
    if (p.runId === runId) line.show(`dry run: ${p.done}/${p.total} checked`);
  });
  const stop = () => {
    out.stderr('\nStopping the dry run…');
    // It may have ended meanwhile: nothing to stop then.
    void call('campaigns.dryRun.cancel', { runId }).catch(() => undefined);
  };
  process.once('SIGINT', stop);
  try {
    return await call('campaigns.dryRun', { ...request, runId });
  } finally {
    off();
    process.off('SIGINT', stop);
    line.end();
  }
}

/** A run's result as `send` and `campaign resume` print it. */
export function resultData(detail: CampaignDetail, outcome: RunOutcome) {
  const { recipients, delivered, expired, failed, pending, uncertain, retrying, skipped } = detail.totals;
  return {
    campaignId: outcome.campaignId,
    state: outcome.state,
    totals: { recipients, delivered, expired, failed, pending: pending + retrying, uncertain, skipped },
    byStatus: detail.byStatus,
    ...(detail.timing ? { byReason: detail.byReason, timing: detail.timing } : {}),
    ...(detail.variants ? { variants: detail.variants } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

/**
 * The ends of the runs this process starts (campaigns.ended), heard from before the call that starts them:
 * a short run may end before its starter's answer is read.
 */
export function watchRunEnds(on: On) {
  const ends = new Map<number, CampaignRunEnd>();
  const waiting = new Map<number, (end: CampaignRunEnd) => void>();
  const off = on('campaigns.ended', (end) => {
    const resolve = waiting.get(end.campaignId);
    waiting.delete(end.campaignId);
    if (resolve) resolve(end);
    else ends.set(end.campaignId, end);
  });
  return {
    /** The next end of this campaign's run (a timed campaign runs again when its next zone comes due). */
    next(campaignId: number): Promise<CampaignRunEnd> {
      const end = ends.get(campaignId);
      ends.delete(campaignId);
      return end ? Promise.resolve(end) : new Promise((resolve) => waiting.set(campaignId, resolve));
    },
    off,
  };
}

/** One line per variant (and the held part): what a person compares to choose the winner. */
export function variantRows(variants: CampaignVariants | null, campaignId: number): Array<[string, string]> {
  if (!variants) return [];
  const rows = variants.results.map((r): [string, string] => {
    const t = r.totals;
    const share = variants.variants.find((v) => v.name === r.name)?.share;
    const lat = r.latencyMs.p50 === null ? '' : ` · p50 ${r.latencyMs.p50} ms · p90 ${r.latencyMs.p90} ms`;
    return [
      r.name === 'rest' ? `Rest (${variants.restVariant})` : `Variant ${r.name} (${share} %)`,
      `${t.delivered}/${t.recipients} delivered · ${t.expired} expired · ${t.failed} failed${t.pending ? ` · ${t.pending} pending` : ''}${lat}`,
    ];
  });
  if (variants.held > 0)
    rows.push([
      'Held',
      `${variants.held} (send them the winner: pushdeck campaign send-rest ${campaignId} --variant NAME)`,
    ]);
  return rows;
}

/**
 * Starts a run through the door (`start` calls campaigns.sendNow, campaigns.resume…) and follows it with its
 * progress on stderr; Ctrl+C pauses it (campaigns.pause). Throws when it did not run to the end.
 */
export async function follow(
  env: CommandEnv,
  call: Call,
  on: On,
  start: () => Promise<CampaignSummary & { warnings?: string[] }>,
) {
  const out = env.output();
  const line = stderrLine(out, 100);
  const show = (p: CampaignProgress) => line.show(progressLine(p), p.finished);
  // What the start prints (a send's warnings) comes before the progress it reported while starting.
  let campaignId: number | null = null;
  let held: CampaignProgress | null = null;
  const offProgress = on('campaigns.progress', (p) => {
    if (campaignId === null) held = p;
    else if (p.campaignId === campaignId) show(p);
  });
  const ends = watchRunEnds(on);
  const pause = () => {
    out.stderr('\nPausing: waiting for the requests in flight…');
    // Ended meanwhile: there is nothing left to pause.
    if (campaignId !== null) void call('campaigns.pause', { id: campaignId }).catch(() => undefined);
  };
  let outcome: RunOutcome;
  try {
    const started = await start();
    campaignId = started.id;
    for (const warning of started.warnings ?? []) out.stderr(`warning: ${warning}`);
    const first = held as CampaignProgress | null;
    if (first?.campaignId === campaignId) show(first);
    process.once('SIGINT', pause);
    const end = await ends.next(campaignId);
    // A full disk says what to run once there is space; INTERNAL is reported as any unexpected error.
    if (end.error?.code === 'INTERNAL') throw new Error(end.error.message);
    if (end.error) throw new PushdeckError(end.error.code, end.error.message);
    outcome = end.outcome!;
  } finally {
    offProgress();
    ends.off();
    process.off('SIGINT', pause);
    line.end();
  }
  const data = resultData(await call('campaigns.get', { id: outcome.campaignId }), outcome);
  printData(out, data, () =>
    table([
      ['Campaign', String(data.campaignId)],
      ['State', data.state],
      ['Recipients', String(data.totals.recipients)],
      ['Delivered', String(data.totals.delivered)],
      ['Expired', String(data.totals.expired)],
      ['Failed', String(data.totals.failed)],
      ['Pending', String(data.totals.pending)],
      ['Uncertain', String(data.totals.uncertain)],
      ...(data.totals.skipped ? ([['Skipped', String(data.totals.skipped)]] as const) : []),
      ['By status', formatCounts(data.byStatus)],
      ...(data.byReason ? ([['By reason', formatCounts(data.byReason)]] as const) : []),
      ...variantRows(data.variants ?? null, data.campaignId),
      ...timingRows(data.timing ?? null),
    ]),
  );
  // A timed campaign whose later zones wait: the app's timer or `campaign run-due` releases them.
  if (outcome.state === 'scheduled') {
    out.stderr(
      `Campaign ${outcome.campaignId}: the other zones go out at their time while the app runs, or with pushdeck campaign run-due (cron: * * * * *).`,
    );
    return;
  }
  if (outcome.state !== 'completed') {
    const hint =
      outcome.state === 'paused' ? ` Resume with: pushdeck campaign resume ${outcome.campaignId}` : '';
    throw new PushdeckError(
      'CAMPAIGN_NOT_FINISHED',
      `Campaign ${outcome.campaignId} is ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}.${hint}`,
    );
  }
}

export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, n]) => `${k}: ${n}`).join(', ') : '—';
}
