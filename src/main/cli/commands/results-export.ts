// `pushdeck campaign export ID --format csv|json --out FILE`: a campaign's results, every delivery, streamed.
import { Option } from 'commander';
import { resultsFormats, type ResultsFormat } from '../../../shared/results-export.ts';
import { printData } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';
import { campaignIdArg } from '../flags.ts';
import { campaignCommand } from './campaigns.ts';

export function registerCampaignExportCommand(program: CliCommand, env: CommandEnv): void {
  campaignCommand(program)
    .command('export')
    .description("write a campaign's results to a file: CSV (one row per delivery) or JSON")
    .argument('<id>', 'campaign id', campaignIdArg)
    .addOption(new Option('--format <format>', 'file format').choices(resultsFormats).default('csv'))
    .requiredOption('--out <file>', 'the file to write')
    .action(async (id: number, opts: { format: ResultsFormat; out: string }) => {
      // --out answers the core's "where to save?", as the window's save dialog does.
      await env.withCore(
        async (call) => {
          const { rows } = await call('results.export', { id, format: opts.format });
          printData(
            env.output(),
            { campaignId: id, format: opts.format, path: opts.out, rows },
            () => `Wrote ${rows} deliveries of campaign ${id} to ${opts.out}.`,
          );
        },
        { saveFile: opts.out },
      );
    });
}
