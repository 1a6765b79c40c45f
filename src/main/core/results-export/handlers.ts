// Handlers of the results export channel: main's save dialog (or the CLI's path) says where to write.
import type { campaignExportChannels } from '../../../shared/results-export.ts';
import type { HandlersOf } from '../../../shared/contract.ts';
import type { CoreContext } from '../context.ts';
import { saveResultsFile } from './results-file.ts';

export function campaignExportHandlers(ctx: CoreContext): HandlersOf<typeof campaignExportChannels> {
  return {
    'results.export': ({ id, format }) => saveResultsFile(ctx, id, format),
  };
}
