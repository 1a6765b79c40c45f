// Handlers of the files channels: main's own open and save dialogs, whose choice the window gets as a token.
import type { HandlersOf } from '../../shared/contract.ts';
import { PushdeckError } from '../../shared/errors.ts';
import type { filesChannels } from '../../shared/files.ts';
import type { CoreContext } from './context.ts';

const noDialog = () =>
  new PushdeckError('FILE_DIALOG_UNAVAILABLE', 'No file dialog here: drop the file on the window instead.');

export function fileHandlers(ctx: CoreContext): HandlersOf<typeof filesChannels> {
  return {
    'files.chooseImport': async () => {
      if (!ctx.chooseOpenFile) throw noDialog();
      const file = await ctx.chooseOpenFile({ title: 'Import subscriptions' });
      return file === null ? null : ctx.files.register(file, 'read');
    },
    'files.chooseSave': async ({ title, defaultName }) => {
      if (!ctx.chooseSaveFile) throw noDialog();
      const file = await ctx.chooseSaveFile({ title, defaultName });
      return file === null ? null : ctx.files.register(file, 'write');
    },
  };
}
