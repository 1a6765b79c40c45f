// `pushdeck campaign export ID --format csv|json --out FILE`: a campaign's results, every delivery, streamed.
import { CommanderError, Option, type Command } from 'commander';
import { resultsFormats, type ResultsFormat } from '../../../shared/campaign-export.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { writeResultsFile } from '../../core/campaign-export/results-file.ts';
import { printData } from '../output.ts';
import type { CommandEnv } from '../program.ts';

export function registerCampaignExportCommand(program: Command, env: CommandEnv): void {
  const campaign =
    program.commands.find((c) => c.name() === 'campaign') ??
    program.command('campaign').description('campaigns: list, show, resume, cancel, export');
  campaign
    .command('export')
    .description("write a campaign's results to a file: CSV (one row per delivery) or JSON")
    .argument('<id>', 'campaign id')
    .addOption(new Option('--format <format>', 'file format').choices(resultsFormats).default('csv'))
    .requiredOption('--out <file>', 'the file to write')
    .action(async (rawId: string, opts: { format: ResultsFormat; out: string }) => {
      const id = Number(rawId);
      if (!Number.isInteger(id) || id <= 0) {
        env.io.stderr(`pushdeck: campaign id must be a positive integer, not "${rawId}"`);
        throw new CommanderError(2, 'pushdeck.usage', 'bad campaign id');
      }
      await env.withContext(async (ctx) => {
        let rows: number;
        try {
          rows = await writeResultsFile(ctx, id, opts.format, opts.out);
        } catch (error) {
          if (error instanceof PushdeckError) throw error;
          throw new PushdeckError(
            'EXPORT_WRITE_FAILED',
            `Cannot write ${opts.out}: ${(error as Error).message}`,
          );
        }
        printData(
          env.output(),
          { campaignId: id, format: opts.format, path: opts.out, rows },
          () => `Wrote ${rows} deliveries of campaign ${id} to ${opts.out}.`,
        );
      });
    });
}
