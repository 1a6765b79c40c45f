// Handlers of the campaigns channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { campaignsChannels } from '../../../shared/campaigns.ts';
import type { CoreContext } from '../context.ts';

export function campaignsHandlers(_ctx: CoreContext): HandlersOf<typeof campaignsChannels> {
  return {};
}
