// `pushdeck campaign schedule|unschedule|run-due`: start times for campaigns, and the headless runner that
// cron calls to start the due ones (it waits until they have been sent).
import { CommanderError, type Command } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import { sendCampaign } from '../../core/campaigns/campaigns.ts';
import { runDueCampaigns } from '../../core/schedule/due-runner.ts';
import { scheduleCampaign, unscheduleCampaign } from '../../core/schedule/schedule.ts';
import type { RunOutcome } from '../../core/campaigns/runner.ts';
import { printData } from '../output.ts';
import type { CommandEnv } from '../program.ts';

function usage(env: CommandEnv, message: string): never {
  env.io.stderr(`pushdeck: ${message}`);
  throw new CommanderError(2, 'pushdeck.usage', message);
}

function campaignId(env: CommandEnv, raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) usage(env, `campaign id must be a positive integer, not "${raw}"`);
  return id;
}

/** ISO 8601 (`2026-12-01T09:00`, local time unless it names a zone) or epoch milliseconds. */
export function parseStartTime(raw: string): number | null {
  if (/^\d{10,}$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : at;
}

export function registerScheduleCommands(program: Command, env: CommandEnv): void {
  const campaign =
    program.commands.find((c) => c.name() === 'campaign') ??
    program.command('campaign').description('campaigns: list, show, resume, cancel, schedule');

  campaign
    .command('schedule')
    .description('start a draft campaign at a time (local time unless the time names a zone)')
    .argument('<id>', 'campaign id')
    .requiredOption('--at <time>', 'ISO 8601 time, e.g. 2026-12-01T09:00 or 2026-12-01T08:00Z')
    .action(async (rawId: string, opts: { at: string }) => {
      const id = campaignId(env, rawId);
      const at = parseStartTime(opts.at);
      if (at === null) usage(env, `--at must be an ISO 8601 time like 2026-12-01T09:00, not "${opts.at}"`);
      await env.withContext((ctx) => {
        const scheduled = scheduleCampaign(ctx, id, at, 'cli');
        printData(
          env.output(),
          { ...scheduled, scheduledAtIso: new Date(at).toISOString() },
          () => `Campaign ${id} starts at ${new Date(at).toString()}.`,
        );
      });
    });

  campaign
    .command('unschedule')
    .description('turn a scheduled campaign back into a draft')
    .argument('<id>', 'campaign id')
    .action(async (rawId: string) => {
      const id = campaignId(env, rawId);
      await env.withContext((ctx) => {
        const result = unscheduleCampaign(ctx, id, 'cli');
        printData(env.output(), result, () => `Campaign ${id} is a draft again.`);
      });
    });

  campaign
    .command('run-due')
    .description('start every scheduled campaign whose time has come and send it (for cron)')
    .action(async () => {
      await env.withContext(async (ctx) => {
        const out = env.output();
        const run = runDueCampaigns(ctx, (id) => sendCampaign(ctx, id, { actor: 'cli' }), 'cli');
        for (const id of run.started) out.stderr(`Started campaign ${id}.`);
        for (const f of run.failed) out.stderr(`Campaign ${f.campaignId} did not start: ${f.message}`);
        const outcomes = (await Promise.all(run.running)).filter(
          (o): o is RunOutcome => typeof o === 'object' && o !== null,
        );
        printData(out, { started: run.started, failed: run.failed, outcomes }, () =>
          run.started.length + run.failed.length === 0
            ? 'No campaign is due.'
            : outcomes
                .map(
                  (o) =>
                    `Campaign ${o.campaignId}: ${o.state}, ${o.totals.delivered} delivered, ${o.totals.expired} expired, ${o.totals.failed} failed of ${o.totals.recipients}`,
                )
                .join('\n'),
        );
        if (run.failed.length > 0) {
          throw new PushdeckError(
            'SCHEDULE_START_FAILED',
            `${run.failed.length} due campaign(s) did not start: ${run.failed[0]!.message}`,
          );
        }
      });
    });
}
