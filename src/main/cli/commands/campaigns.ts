// `pushdeck campaign list|show|resume|cancel`: resume follows the send with progress on stderr; Ctrl+C
// pauses it again.
import { Option } from 'commander';
import {
  deliveryStates,
  type CampaignDetail,
  type DeliveryRecord,
  type DeliveryState,
} from '../../../shared/campaigns.ts';
import { printData, table } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

import { follow, formatCounts, variantRows } from './campaign-follow.ts';
import { registerSendRestCommand } from './send-variants.ts';
import { campaignIdArg, collect, integer } from '../flags.ts';
import { timingRows } from './timing.ts';

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
    ['Pending', String(t.pending)],
    ['Retrying', String(t.retrying)],
    ['In flight', String(t.inFlight)],
    ...(t.skipped || detail.timing ? ([['Skipped', String(t.skipped)]] as const) : []),
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
    ...variantRows(detail.variants, detail.id),
    ...timingRows(detail.timing),
    ...(detail.lastError ? ([['Error', detail.lastError]] as const) : []),
  ]);
  return deliveries.length ? `${lines}\n\nDeliveries:\n${deliveries.join('\n')}` : lines;
}

/** `pushdeck campaign`, as the campaign commands registered it (or new, if they did not). */
export function campaignCommand(program: CliCommand): CliCommand {
  return (
    (program.commands.find((c) => c.name() === 'campaign') as CliCommand | undefined) ??
    program.command('campaign').description('campaigns: list, show, resume, cancel, schedule, export')
  );
}

export function registerCampaignCommands(program: CliCommand, env: CommandEnv): void {
  const campaign = campaignCommand(program);

  campaign
    .command('list')
    .description('every campaign, newest first')
    .option('--app <name>', 'only this app’s campaigns')
    .coreAction(env, async (call, flags: { app?: string }) => {
      const appId = flags.app ? (await call('apps.get', { app: flags.app })).id : undefined;
      const campaigns = await call('campaigns.list', { appId });
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
    .coreAction(env, async (call, id: number, flags: { limit: number; state?: DeliveryState[] }) => {
      const detail = await call('campaigns.get', { id });
      const deliveries: DeliveryRecord[] = [];
      // Keyset pages of at most 1000 (the channel's cap), up to --limit.
      let after: number | undefined;
      while (deliveries.length < flags.limit) {
        const limit = Math.min(1000, flags.limit - deliveries.length);
        const page = await call('campaigns.deliveries', { id, states: flags.state, after, limit });
        deliveries.push(...page.items);
        if (page.nextAfter === null) break;
        after = page.nextAfter;
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

  campaign
    .command('resume')
    .description('send what is still pending of a paused or interrupted campaign')
    .argument('<id>', 'campaign id', campaignIdArg)
    .option('--resend-uncertain', 'also re-send the deliveries whose fate is unknown (at least once)')
    .action(async (id: number, flags: { resendUncertain?: boolean }) => {
      await env.withCore(async (call, on) => {
        const detail = await call('campaigns.get', { id });
        if (flags.resendUncertain && detail.totals.uncertain > 0 && !detail.options.topic) {
          env
            .output()
            .stderr(
              `warning: ${detail.totals.uncertain} uncertain deliveries are sent again and this campaign has no topic: a subscriber who got the first copy sees it twice (a topic replaces a copy still waiting at the push service; a notification tag replaces one on the screen).`,
            );
        }
        await follow(env, call, on, () =>
          call('campaigns.resume', { id, resendUncertain: flags.resendUncertain }),
        );
      });
    });

  registerSendRestCommand(campaign, env);

  campaign
    .command('cancel')
    .description('stop a campaign for good (a running sender stops within a second)')
    .argument('<id>', 'campaign id', campaignIdArg)
    .coreAction(env, async (call, id: number) => {
      const summary = await call('campaigns.cancel', { id });
      printData(env.output(), summary, () => `Campaign ${id} is ${summary.state}.`);
    });
}
