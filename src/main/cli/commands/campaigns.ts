// `pushdeck send …` and `pushdeck campaign list|show|resume|cancel`: sends run in sending threads with
// progress on stderr; Ctrl+C pauses (resume later). Exit 0 when the campaign ran to the end, even with failed
// deliveries; 1 when it could not run or did not finish.
import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  deliveryStates,
  urgencies,
  type CampaignDetail,
  type CampaignProgress,
  type DeliveryRecord,
  type DeliveryState,
  type SendOptionsInput,
} from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../../core/apps/apps.ts';
import {
  campaignSummary,
  createCampaign,
  deleteDraft,
  listCampaigns,
  startResume,
  startSend,
  stopCampaign,
} from '../../core/campaigns/campaigns.ts';
import { dryRun } from '../../core/campaigns/dry-run.ts';
import { campaignDetail, iterateDeliveries } from '../../core/campaigns/results.ts';
import type { CampaignRun, RunOutcome } from '../../core/campaigns/runner.ts';
import type { CoreContext } from '../../core/context.ts';
import { printData, table, type Output, usageError } from '../output.ts';
import { checkForSend, composeForSend } from './compose.ts';
import { campaignCommand, campaignIdArg } from './schedule.ts';
import type { CommandEnv } from '../program.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

function positive(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number above 0');
  return value;
}

interface SendFlags {
  app: string;
  all?: boolean;
  tag?: string[];
  endpoint?: string[];
  title?: string;
  body?: string;
  url?: string;
  icon?: string;
  image?: string;
  badge?: string;
  notificationTag?: string;
  payload?: string | false;
  payloadFile?: string;
  ttl?: number;
  urgency?: (typeof urgencies)[number];
  topic?: string;
  concurrency?: number;
  rate?: number;
  timeout?: number;
  name?: string;
  dryRun?: boolean;
  template?: string;
  segment?: string;
  var?: string[];
  check?: boolean;
}

function audienceOf(env: CommandEnv, flags: SendFlags): AudienceFilter {
  // A saved segment replaces these (composeForSend checks that it comes alone).
  if (flags.segment) return {};
  const chosen = [flags.all, flags.tag?.length, flags.endpoint?.length].filter(Boolean).length;
  if (chosen !== 1) throw usageError('choose the audience with exactly one of --all, --tag or --endpoint');
  if (flags.tag?.length) return { tagsAny: flags.tag };
  if (flags.endpoint?.length) return { endpoints: flags.endpoint };
  return {};
}

function messageOf(env: CommandEnv, flags: SendFlags): MessageSpec {
  // A saved template replaces these (composeForSend checks that it comes alone).
  if (flags.template) return { format: 'none' };
  const notificationFlags = [
    flags.body,
    flags.url,
    flags.icon,
    flags.image,
    flags.badge,
    flags.notificationTag,
  ];
  const chosen = [
    flags.title !== undefined,
    typeof flags.payload === 'string',
    flags.payloadFile,
    flags.payload === false,
  ];
  if (chosen.filter(Boolean).length !== 1) {
    throw usageError(
      'give the message with exactly one of --title, --payload, --payload-file or --no-payload',
    );
  }
  if (flags.title === undefined && notificationFlags.some((v) => v !== undefined)) {
    throw usageError('--body, --url, --icon, --image, --badge and --notification-tag go with --title');
  }
  if (flags.title !== undefined) {
    return {
      format: 'notification',
      notification: {
        title: flags.title,
        body: flags.body,
        url: flags.url,
        icon: flags.icon,
        image: flags.image,
        badge: flags.badge,
        tag: flags.notificationTag,
      },
    };
  }
  if (flags.payload === false) return { format: 'none' };
  if (flags.payloadFile) {
    let raw: string;
    try {
      raw = fs.readFileSync(flags.payloadFile, 'utf8');
    } catch (error) {
      throw new PushdeckError(
        'PAYLOAD_FILE_UNREADABLE',
        `Cannot read ${flags.payloadFile}: ${(error as Error).message}`,
      );
    }
    return { format: 'raw', raw };
  }
  return { format: 'raw', raw: flags.payload as string };
}

function progressLine(p: CampaignProgress): string {
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
  return `${p.finished ? p.state : 'sending'}: ${parts.join(' · ')}`;
}

/** Shows progress on stderr (one updating line on a terminal, a line every second otherwise). */
function progressReporter(out: Output): { onProgress: (p: CampaignProgress) => void; end: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  let last = 0;
  let wrote = false;
  return {
    onProgress(p) {
      const now = Date.now();
      if (!p.finished && now - last < (tty ? 100 : 1000)) return;
      last = now;
      wrote = true;
      if (tty) process.stderr.write(`\r${progressLine(p)}`);
      else out.stderr(progressLine(p));
    },
    end() {
      if (tty && wrote) process.stderr.write('\n');
    },
  };
}

function resultData(ctx: CoreContext, outcome: RunOutcome) {
  const detail = campaignDetail(ctx, outcome.campaignId);
  const { recipients, delivered, expired, failed, pending, uncertain, retrying } = detail.totals;
  return {
    campaignId: outcome.campaignId,
    state: outcome.state,
    totals: { recipients, delivered, expired, failed, pending: pending + retrying, uncertain },
    byStatus: detail.byStatus,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

/** Waits for a run with progress on stderr; Ctrl+C pauses it. Throws when it did not run to the end. */
async function follow(
  ctx: CoreContext,
  env: CommandEnv,
  start: (onProgress: (p: CampaignProgress) => void) => CampaignRun,
) {
  const out = env.output();
  const reporter = progressReporter(out);
  const run = start(reporter.onProgress);
  const pause = () => {
    out.stderr('\nPausing: waiting for the requests in flight…');
    run.stop('pause');
  };
  process.once('SIGINT', pause);
  let outcome: RunOutcome;
  try {
    outcome = await run.done;
  } finally {
    process.off('SIGINT', pause);
    reporter.end();
  }
  const data = resultData(ctx, outcome);
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
      ['By status', formatCounts(data.byStatus)],
    ]),
  );
  if (outcome.state !== 'completed') {
    const hint =
      outcome.state === 'paused' ? ` Resume with: pushdeck campaign resume ${outcome.campaignId}` : '';
    throw new PushdeckError(
      'CAMPAIGN_NOT_FINISHED',
      `Campaign ${outcome.campaignId} is ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}.${hint}`,
    );
  }
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, n]) => `${k}: ${n}`).join(', ') : '—';
}

function showText(detail: CampaignDetail, deliveries: string[]): string {
  const t = detail.totals;
  const lat = detail.latencyMs;
  const lines = table([
    ['Campaign', `${detail.id} · ${detail.name}`],
    ['App', detail.appName],
    ['State', detail.interrupted ? `${detail.state} (interrupted: resume it)` : detail.state],
    ['Recipients', String(t.recipients)],
    ['Delivered', String(t.delivered)],
    ['Expired', String(t.expired)],
    ['Failed', String(t.failed)],
    ['Pending', String(t.pending + t.retrying)],
    ['In flight', String(t.inFlight)],
    [
      'Uncertain',
      `${t.uncertain}${t.uncertain ? ' (in flight when the sender stopped: may or may not have arrived; not re-sent)' : ''}`,
    ],
    ['By status', formatCounts(detail.byStatus)],
    ['By reason', formatCounts(detail.byReason)],
    [
      'By service',
      Object.entries(detail.byPushService)
        .map(([s, v]) => `${s}: ${v.delivered}/${v.recipients}`)
        .join(', ') || '—',
    ],
    [
      'Latency',
      lat.p50 === null
        ? '—'
        : `p50 ${lat.p50} ms · p90 ${lat.p90} ms · p99 ${lat.p99} ms · max ${lat.max} ms`,
    ],
    ...(detail.lastError ? ([['Error', detail.lastError]] as const) : []),
  ]);
  return deliveries.length ? `${lines}\n\nDeliveries:\n${deliveries.join('\n')}` : lines;
}

export function registerCampaignCommands(program: Command, env: CommandEnv): void {
  program
    .command('send')
    .description('send a push to an app’s subscribers (creates a campaign and follows it to the end)')
    .requiredOption('--app <name>', 'the app to send from')
    .option('--all', 'every active subscription of the app')
    .option('--tag <tag>', 'subscriptions with this tag (repeatable: any of them)', collect)
    .option('--endpoint <url>', 'this subscription (repeatable)', collect)
    .option('--title <text>', 'notification title')
    .option('--body <text>', 'notification body')
    .option('--url <url>', 'page to open on click (the payload’s url)')
    .option('--icon <url>', 'notification icon')
    .option('--image <url>', 'notification image')
    .option('--badge <url>', 'notification badge')
    .option('--notification-tag <tag>', 'notification tag: a newer one replaces an older one on the device')
    .option('--payload <text>', 'send this text or JSON as the payload, as is')
    .option('--payload-file <file>', 'send this file’s content as the payload')
    .option('--no-payload', 'send a push without payload')
    .option('--ttl <seconds>', 'how long the push service keeps it (0 to 2419200)', integer(0, 2_419_200))
    .addOption(new Option('--urgency <urgency>', 'delivery urgency').choices(urgencies))
    .option('--topic <topic>', 'replaces an undelivered push with the same topic (≤ 32 base64url characters)')
    .option('--concurrency <n>', 'requests in flight at once (default 64)', integer(1, 1024))
    .option('--rate <n>', 'at most this many messages per second', positive)
    .option('--timeout <ms>', 'per-request timeout (default 30000)', integer(100, 600_000))
    .option('--name <name>', 'campaign name')
    .option('--template <name>', 'send this saved template (instead of --title, --payload…)')
    .option('--segment <name>', 'send to this saved segment (instead of --all, --tag, --endpoint)')
    .option('--var <name=value>', 'a default for a {{placeholder}} (repeatable)', collect)
    .option('--check', 'run the pre-send checks and stop: nothing is sent')
    .option('--dry-run', 'encrypt everything, send nothing, report what would be sent')
    .action(async (flags: SendFlags) => {
      const givenAudience = audienceOf(env, flags);
      const givenMessage = messageOf(env, flags);
      const options: SendOptionsInput = {
        ...(flags.ttl !== undefined ? { ttl: flags.ttl } : {}),
        ...(flags.urgency ? { urgency: flags.urgency } : {}),
        ...(flags.topic ? { topic: flags.topic } : {}),
        ...(flags.concurrency
          ? { concurrency: flags.concurrency, perOriginConcurrency: flags.concurrency }
          : {}),
        ...(flags.rate ? { rate: flags.rate } : {}),
        ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
      };
      await env.withContext(async (ctx) => {
        const out = env.output();
        const app = getApp(ctx, flags.app);
        const { message, audience } = composeForSend(ctx, env, app.id, flags, {
          message: givenMessage,
          audience: givenAudience,
        });
        if (flags.check) {
          checkForSend(ctx, env, {
            appId: app.id,
            message,
            audience,
            options: {
              ttl: flags.ttl ?? 86_400,
              urgency: flags.urgency,
              topic: flags.topic,
              rate: flags.rate,
            },
          });
          return;
        }
        if (flags.dryRun) {
          const report = dryRun(ctx, app.id, message, audience);
          for (const warning of report.warnings) out.stderr(`warning: ${warning}`);
          printData(out, report, () =>
            [
              table([
                ['Would send to', String(report.recipients)],
                ['By service', formatCounts(report.byPushService)],
                ['Largest payload', `${report.largestPayloadBytes} bytes`],
                ['Refused', String(report.rejects.length)],
              ]),
              ...report.rejects.map((r) => `  #${r.subscriptionId} ${r.reason} ${r.endpoint}`),
            ].join('\n'),
          );
          return;
        }
        const { campaign, warnings } = createCampaign(
          ctx,
          { appId: app.id, name: flags.name, message, audience, options },
          'cli',
        );
        for (const warning of warnings) out.stderr(`warning: ${warning}`);
        await follow(ctx, env, (onProgress) => {
          try {
            return startSend(ctx, campaign.id, { actor: 'cli', onProgress });
          } catch (error) {
            // Nothing was sent: leave no empty draft behind.
            deleteDraft(ctx, campaign.id);
            throw error;
          }
        });
      });
    });

  const campaign = campaignCommand(program);

  campaign
    .command('list')
    .description('every campaign, newest first')
    .option('--app <name>', 'only this app’s campaigns')
    .action(async (flags: { app?: string }) => {
      await env.withContext((ctx) => {
        const appId = flags.app ? getApp(ctx, flags.app).id : undefined;
        const campaigns = listCampaigns(ctx, { appId });
        printData(env.output(), campaigns, () =>
          campaigns.length === 0
            ? 'No campaigns yet. Send one with pushdeck send.'
            : campaigns
                .map(
                  (c) =>
                    `${String(c.id).padStart(5)}  ${(c.interrupted ? 'interrupted' : c.state).padEnd(11)}  ${c.totals.delivered}/${c.totals.recipients} delivered  ${c.appName}  ${c.name}`,
                )
                .join('\n'),
        );
      });
    });

  campaign
    .command('show')
    .description('totals, breakdowns and per-delivery results of a campaign')
    .argument('<id>', 'campaign id', campaignIdArg)
    .option('--limit <n>', 'deliveries listed (default 1000; 0 for none)', integer(0, 10_000_000), 1000)
    .addOption(
      new Option('--state <state>', 'only deliveries in this state (repeatable)')
        .choices(deliveryStates)
        .argParser(collect),
    )
    .action(async (id: number, flags: { limit: number; state?: DeliveryState[] }) => {
      await env.withContext((ctx) => {
        const detail = campaignDetail(ctx, id);
        const deliveries: DeliveryRecord[] = [];
        if (flags.limit > 0) {
          for (const d of iterateDeliveries(ctx, id, flags.state)) {
            deliveries.push(d);
            if (deliveries.length >= flags.limit) break;
          }
        }
        printData(env.output(), { ...detail, deliveries }, () =>
          showText(
            detail,
            deliveries.map(
              (d) =>
                `  #${d.subscriptionId}  ${d.state.padEnd(9)}  ${String(d.httpStatus ?? '—').padEnd(3)}  ${d.attempts}×  ${d.reason ?? ''}  ${d.endpoint}`,
            ),
          ),
        );
      });
    });

  campaign
    .command('resume')
    .description('send what is still pending of a paused or interrupted campaign')
    .argument('<id>', 'campaign id', campaignIdArg)
    .option('--resend-uncertain', 'also re-send the deliveries whose fate is unknown (at least once)')
    .action(async (id: number, flags: { resendUncertain?: boolean }) => {
      await env.withContext(async (ctx) => {
        const detail = campaignDetail(ctx, id);
        if (flags.resendUncertain && detail.totals.uncertain > 0 && !detail.options.topic) {
          env
            .output()
            .stderr(
              `warning: ${detail.totals.uncertain} uncertain deliveries are sent again and this campaign has no topic: a subscriber who got the first copy sees it twice (a topic replaces a copy still waiting at the push service; a notification tag replaces one on the screen).`,
            );
        }
        await follow(ctx, env, (onProgress) =>
          startResume(ctx, id, { actor: 'cli', onProgress, resendUncertain: flags.resendUncertain }),
        );
      });
    });

  campaign
    .command('cancel')
    .description('stop a campaign for good (a running sender stops within a second)')
    .argument('<id>', 'campaign id', campaignIdArg)
    .action(async (id: number) => {
      await env.withContext((ctx) => {
        stopCampaign(ctx, id, 'cancel', 'cli');
        const summary = campaignSummary(ctx, id);
        printData(env.output(), summary, () => `Campaign ${id} is ${summary.state}.`);
      });
    });
}
