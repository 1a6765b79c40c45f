// Setup help for an app's website: the service worker and the subscribe code with the app's public key
// (both defined once in snippets/web-push-snippets.ts).
import type { SetupSnippets } from '../../../shared/apps.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from './apps.ts';
import type { CoreContext } from '../context.ts';
import { SERVICE_WORKER_SNIPPET, subscribeSnippet } from '../snippets/web-push-snippets.ts';

export function setupSnippets(ctx: CoreContext, appId: number): SetupSnippets {
  const app = getApp(ctx, appId);
  if (!app.publicKey) {
    throw new PushdeckError('KEY_NOT_FOUND', `${app.name} has no current key. Create one under Keys.`);
  }
  return { serviceWorker: SERVICE_WORKER_SNIPPET, subscribe: subscribeSnippet(app.publicKey) };
}
