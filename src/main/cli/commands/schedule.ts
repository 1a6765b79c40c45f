// `pushdeck campaign schedule|unschedule|run-due`: start times for campaigns, and the headless runner that
// cron calls to start the due ones (it waits until they have been sent).
import { InvalidArgumentError, type Command } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import { sendCampaign } from '../../core/campaigns/campaigns.ts';
import { runDueCampaigns } from '../../core/schedule/due-runner.ts';
import { scheduleCampaign, unscheduleCampaign } from '../../core/schedule/schedule.ts';
import type { RunOutcome } from '../../core/campaigns/runner.ts';
import { printData } from '../output.ts';
import type { CommandEnv } from '../program.ts';

/** Commander argument parser: a bad id is a usage error (exit 2). */
export function campaignIdArg(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) {
    throw new InvalidArgumentError(`a campaign id is a positive integer, not "${raw}"`);
  }
  return id;
}

/** ISO 8601 (`2026-12-01T09:00`, local time unless it names a zone) or epoch milliseconds. */
export function startTimeArg(raw: string): number {
  if (/^\d{10,}$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  if (Number.isNaN(at))
    throw new InvalidArgumentError(`use an ISO 8601 time like 2026-12-01T09:00, not "${raw}"`);
  return at;
}

/** `pushdeck campaign`, as the campaign commands registered it (or new, if they did not). */
export function campaignCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'campaign') ??
    program.command('campaign').description('campaigns: list, show, resume, cancel, schedule, export')
  );
}

export function registerScheduleCommands(program: Command, env: CommandEnv): void {
  const campaign = campaignCommand(program);

  campaign
    .command('schedule')
    .description('start a draft campaign at a time (local time unless the time names a zone)')
    .argument('<id>', 'campaign id', campaignIdArg)
    .requiredOption('--at <time>', 'ISO 8601 time, e.g. 2026-12-01T09:00 or 2026-12-01T08:00Z', startTimeArg)
    .action(async (id: number, opts: { at: number }) => {
      const { at } = opts;
      await env.withContext((ctx) => {
        const scheduled = scheduleCampaign(ctx, id, at);
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
    .argument('<id>', 'campaign id', campaignIdArg)
    .action(async (id: number) => {
      await env.withContext((ctx) => {
        const result = unscheduleCampaign(ctx, id);
        printData(env.output(), result, () => `Campaign ${id} is a draft again.`);
      });
    });

  campaign
    .command('run-due')
    .description('start every scheduled campaign whose time has come and send it (for cron)')
    .action(async () => {
      await env.withContext(async (ctx) => {
        const out = env.output();
        const run = runDueCampaigns(ctx, (id) => sendCampaign(ctx, id, { scheduled: true }));
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
