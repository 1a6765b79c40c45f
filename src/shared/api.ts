// The shape of `window.api`, the only door from the renderer to main. The preload builds it from the
// contract's channel and event names; the end-to-end harness builds the same shape over Playwright.
import type { ChannelInput, ChannelOutput, EventName, EventPayload, WindowChannelName } from './contract.ts';
import type { Envelope } from './errors.ts';
import type { ChosenFile } from './files.ts';

export interface PushdeckApi {
  invoke<K extends WindowChannelName>(
    channel: K,
    input: ChannelInput<K>,
  ): Promise<Envelope<ChannelOutput<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Registers a file the user dropped or picked with main, where the platform gives its path (the desktop
   * app: the preload finds it, main keeps it) and answers the token the window then names it by; null in a
   * plain browser, where the renderer sends the text. The window never sees or sends the path.
   */
  registerFile(file: File): Promise<ChosenFile | null>;
}
