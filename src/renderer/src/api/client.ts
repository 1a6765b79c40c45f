// The renderer's typed client over `window.api`: unwraps the envelope and rebuilds errors with their code.
import type {
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  WindowChannelName,
} from '../../../shared/contract.ts';
import type { PushdeckApi } from '../../../shared/api.ts';
import { unwrapEnvelope } from '../../../shared/errors.ts';

declare global {
  interface Window {
    api: PushdeckApi;
  }
}

export async function call<K extends WindowChannelName>(
  channel: K,
  input: ChannelInput<K>,
): Promise<ChannelOutput<K>> {
  return unwrapEnvelope(await window.api.invoke(channel, input));
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return window.api.on(event, listener);
}
