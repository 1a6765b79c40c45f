// `pushdeck campaign schedule|unschedule|run-due`: start times for campaigns, and the headless runner that
// cron calls to start the due ones (it waits until they have been sent).
import { PushdeckError } from '../../../shared/errors.ts';
import type { RunOutcome } from '../../../shared/campaigns.ts';
import { campaignIdArg, startTimeArg } from '../flags.ts';
import type { DueRunReport } from '../../../shared/schedule.ts';
import { printData } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';
import { campaignCommand } from './campaigns.ts';
import { watchRunEnds } from './campaign-follow.ts';

export function registerScheduleCommands(program: CliCommand, env: CommandEnv): void {
  const campaign = campaignCommand(program);

  campaign
    .command('schedule')
    .description('start a draft campaign at a time (local time unless the time names a zone)')
    .argument('<id>', 'campaign id', campaignIdArg)
    .requiredOption('--at <time>', 'ISO 8601 time, e.g. 2026-12-01T09:00 or 2026-12-01T08:00Z', startTimeArg)
    .coreAction(env, async (call, id: number, { at }: { at: number }) => {
      const scheduled = await call('schedule.set', { campaignId: id, at });
      printData(
        env.output(),
        { ...scheduled, scheduledAtIso: new Date(at).toISOString() },
        () => `Campaign ${id} starts at ${new Date(at).toString()}.`,
      );
    });

  campaign
    .command('unschedule')
    .description('turn a scheduled campaign back into a draft')
    .argument('<id>', 'campaign id', campaignIdArg)
    .coreAction(env, async (call, id: number) => {
      const result = await call('schedule.clear', { campaignId: id });
      printData(env.output(), result, () => `Campaign ${id} is a draft again.`);
    });

  campaign
    .command('run-due')
    .description(
      'start every scheduled campaign whose time has come and send it, and resume local-time campaigns whose sender was interrupted (for cron)',
    )
    .action(async () => {
      await env.withCore(async (call, on) => {
        const out = env.output();
        // A timed campaign's next zone may come due while the last one goes out: check again, a few times.
        const run: { started: number[]; resumed: number[]; failed: DueRunReport['failed'] } = {
          started: [],
          resumed: [],
          failed: [],
        };
        const outcomes: RunOutcome[] = [];
        const ends = watchRunEnds(on);
        for (let round = 0; round < 10; round++) {
          const due = await call('schedule.runDue', {});
          for (const id of due.resumed) out.stderr(`Resumed campaign ${id} (its sender was interrupted).`);
          for (const id of due.started) out.stderr(`Started campaign ${id}.`);
          for (const f of due.failed) out.stderr(`Campaign ${f.campaignId} did not start: ${f.message}`);
          run.started.push(...due.started);
          run.resumed.push(...due.resumed);
          run.failed.push(...due.failed);
          // Each run's end; one whose end could not be recorded has no outcome to print (its campaign says why).
          const running = [...due.resumed, ...due.started].map((id) => ends.next(id));
          for (const end of await Promise.all(running)) if (end.outcome) outcomes.push(end.outcome);
          if (due.started.length + due.resumed.length === 0) break;
        }
        ends.off();
        printData(out, { started: run.started, resumed: run.resumed, failed: run.failed, outcomes }, () =>
          run.started.length + run.resumed.length + run.failed.length === 0
            ? 'No campaign is due.'
            : outcomes
                .map(
                  (o) =>
                    `Campaign ${o.campaignId}: ${o.state}, ${o.totals.delivered} delivered, ${o.totals.expired} expired, ${o.totals.failed} failed${o.totals.skipped ? `, ${o.totals.skipped} skipped` : ''} of ${o.totals.recipients}`,
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
