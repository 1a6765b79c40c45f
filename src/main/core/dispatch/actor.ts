// Who made the call being served, stamped by the dispatcher around it (its background work included), so that
// the audit log knows it without any core function taking it as a parameter.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../../../shared/audit.ts';

const scope = new AsyncLocalStorage<Actor>();

export function withActor<T>(actor: Actor, run: () => T): T {
  return scope.run(actor, run);
}

/** Outside any call (the app's own timers, such as the scheduled-campaign check): the app. */
export function currentActor(): Actor {
  return scope.getStore() ?? 'app';
}
