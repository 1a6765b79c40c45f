// Handlers of the results export channel: main's save dialog, or a file main registered for writing before,
// by its token.
import type { campaignExportChannels } from '../../../shared/results-export.ts';
import type { HandlersOf } from '../../../shared/contract.ts';
import type { CoreContext } from '../context.ts';
import { saveResultsFile } from './results-file.ts';

export function campaignExportHandlers(ctx: CoreContext): HandlersOf<typeof campaignExportChannels> {
  return {
    'results.export': ({ id, format, file }) => {
      if (file === undefined) return saveResultsFile(ctx, id, format);
      const chosen = ctx.files.resolve(file, 'write');
      // The dialog was already answered: its file stands in for asking again.
      return saveResultsFile({ ...ctx, chooseSaveFile: () => Promise.resolve(chosen) }, id, format);
    },
  };
}
