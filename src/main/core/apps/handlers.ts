// Handlers of the apps channels.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { appsChannels } from '../../../shared/apps.ts';
import type { CoreContext } from '../context.ts';
import { listApps } from './apps.ts';

export function appsHandlers(ctx: CoreContext): HandlersOf<typeof appsChannels> {
  return {
    'apps.list': () => listApps(ctx),
  };
}
