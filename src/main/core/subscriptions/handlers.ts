// Handlers of the subscriptions channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { subscriptionsChannels } from '../../../shared/subscriptions.ts';
import type { CoreContext } from '../context.ts';

export function subscriptionsHandlers(_ctx: CoreContext): HandlersOf<typeof subscriptionsChannels> {
  return {};
}
