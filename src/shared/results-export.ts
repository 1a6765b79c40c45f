// Contract of a campaign's results export: main asks where to save and streams every delivery to the file
// (CSV, one row per delivery; or JSON, the campaign's breakdowns and its deliveries), whatever their number.
import { z } from 'zod';
import { channel } from './channel.ts';

export const resultsFormats = ['csv', 'json'] as const;
export type ResultsFormat = (typeof resultsFormats)[number];

export interface ResultsExport {
  saved: boolean;
  /** Where the file was written; null when the user cancelled the save dialog. */
  path: string | null;
  rows: number;
}

export const campaignExportChannels = {
  /** Asks where to save in main's dialog (the CLI's answers with the path typed on its command line). */
  'results.export': channel(
    z.object({ id: z.number().int().positive(), format: z.enum(resultsFormats) }).strict(),
  ).returns<ResultsExport>(),
};
