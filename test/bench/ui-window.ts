// bench:ui's window: the built renderer loaded from the app's process (ui-app.ts), its `window.api` the
// preload's shape over one WebSocket to that process instead of Playwright bindings (why: ui-app.ts).
// Dropped files are not used by the bench: registerFile answers null, as a browser without paths does.
import type { Browser, Page } from 'playwright-core';

export const BENCH_API_PATH = '/bench-api';

/** From the window: a call of a channel. */
export interface WindowCall {
  id: number;
  channel: unknown;
  input: unknown;
}

/** To the window: a call's envelope, or one of main's events. */
export type WindowAnswer = { id: number; answer: unknown } | { event: string; payload: unknown };

/** Opens the window at `url` (the app's process serves it) and waits until it listens for changes. */
export async function openBenchWindow(
  browser: Browser,
  url: string,
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.addInitScript((apiPath) => {
    if (location.protocol !== 'http:') return;
    const socket = new WebSocket(`ws://${location.host}${apiPath}`);
    const opened = new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    const answers = new Map<number, (envelope: unknown) => void>();
    const listeners = new Set<(name: string, payload: unknown) => void>();
    const heard = new Set<string>();
    window.__pushdeckHeard = heard;
    let lastId = 0;
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as
        { id: number; answer: unknown } | { event: string; payload: unknown };
      if ('event' in data) listeners.forEach((listener) => listener(data.event, data.payload));
      else {
        answers.get(data.id)?.(data.answer);
        answers.delete(data.id);
      }
    });
    window.api = {
      invoke: async (channel: string, input: unknown) => {
        await opened;
        const id = ++lastId;
        return new Promise((resolve) => {
          answers.set(id, resolve);
          socket.send(JSON.stringify({ id, channel, input }));
        });
      },
      registerFile: () => Promise.resolve(null),
      on: (eventName: string, listener: (payload: unknown) => void) => {
        heard.add(eventName);
        const forward = (name: string, payload: unknown) => {
          if (name === eventName) listener(payload);
        };
        listeners.add(forward);
        return () => listeners.delete(forward);
      },
    } as unknown as Window['api'];
  }, BENCH_API_PATH);
  await page.goto(url);
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  await page.waitForFunction(() => window.__pushdeckHeard?.has('data.changed'));
  return { page, close: () => context.close() };
}
