// The shape of `window.api`, the only door from the renderer to main. The preload builds it from the
// contract's channel and event names; the end-to-end harness builds the same shape over Playwright.
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from './contract.ts';
import type { Envelope } from './errors.ts';

export interface PushdeckApi {
  invoke<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<Envelope<ChannelOutput<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The absolute path of a file the user dropped or picked, where the platform gives one (the desktop
   * app), so that main reads it itself; null in a plain browser, where the renderer sends the text. */
  pathForFile(file: File): string | null;
}
