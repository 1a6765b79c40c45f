// Handlers of the settings channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { settingsChannels } from '../../../shared/settings.ts';
import type { CoreContext } from '../context.ts';
import { readSendingSettings, updateSendingSettings } from './sending-settings.ts';

export function settingsHandlers(ctx: CoreContext): HandlersOf<typeof settingsChannels> {
  return {
    'settings.sending': () => readSendingSettings(ctx.db),
    'settings.updateSending': (patch) => updateSendingSettings(ctx, patch),
  };
}
