// Handlers of the settings channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { settingsChannels } from '../../../shared/settings.ts';
import { audited } from '../audit-log/audited.ts';
import type { CoreContext } from '../context.ts';
import { readSendingSettings, updateSendingSettings } from './sending-settings.ts';

export function settingsHandlers(ctx: CoreContext): HandlersOf<typeof settingsChannels> {
  return {
    'settings.sending': () => readSendingSettings(ctx.db),
    'settings.updateSending': audited(
      ctx,
      // The proxy may carry credentials: the log says what changed, not the value.
      (patch) => ({
        action: 'settings.sending',
        details: {
          changed: Object.keys(patch).filter((key) => patch[key as keyof typeof patch] !== undefined),
        },
      }),
      (patch) => updateSendingSettings(ctx, patch),
    ),
  };
}
