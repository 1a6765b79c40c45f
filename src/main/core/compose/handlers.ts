// Handlers of the compose channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { composeChannels } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';

export function composeHandlers(_ctx: CoreContext): HandlersOf<typeof composeChannels> {
  return {};
}
