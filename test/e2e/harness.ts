// End-to-end harness: serves the built renderer (out/renderer) over 127.0.0.1, opens it in Chromium (found
// by test/support/chromium.ts) through Playwright, and wires `window.api` to the real main-process handler
// table through exposeBinding — the same table and dispatcher that ipc.ts registers with Electron.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ChosenFile } from '../../src/shared/files.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { startBackend, type BackendOptions, type WindowBackend } from '../support/app-backend.ts';
import { serveRenderer } from '../support/renderer-server.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';

export const screenshotDir = path.resolve('test-results');

export async function launchChromium(): Promise<Browser> {
  const binary = await findChromium();
  return chromium.launch({
    executablePath: binary.executablePath,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...binary.env },
  });
}

/** One Chromium per test file: started before its tests, closed after them. Call at describe level. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium has not started: call useChromium() inside describe().');
    return browser;
  };
}

export interface WindowOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

export interface AppWindow {
  page: Page;
  /** Errors the page logged or threw; a test can assert there were none. */
  pageErrors: string[];
  screenshot(name: string): Promise<string>;
  /** Closes the window and the server of its files (not the backend). */
  close(): Promise<void>;
}

/** Opens the built renderer in a new browser context, its `window.api` wired to `backend`. */
export async function openWindow(
  browser: Browser,
  backend: WindowBackend,
  options: WindowOptions = {},
): Promise<AppWindow> {
  const server = await serveRenderer();
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 820 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // Events may fire before the page has loaded; those are dropped, as the window is not listening yet.
  backend.onEvent((event, payload) => {
    void page
      .evaluate(([name, data]) => window.__pushdeckEmit?.(name, data), [event, payload] as const)
      .catch(() => undefined);
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.exposeBinding('__pushdeckInvoke', (_source, channel: unknown, input: unknown) =>
    backend.invoke(channel, input),
  );
  await page.exposeBinding('__pushdeckRegisterFile', (_source, file: unknown) => backend.registerFile(file));
  // The same window.api shape the preload exposes (src/preload/index.ts), over the binding.
  await page.addInitScript(() => {
    const listeners = new Set<(name: string, payload: unknown) => void>();
    const heard = new Set<string>();
    window.__pushdeckHeard = heard;
    window.__pushdeckEmit = (name, payload) => listeners.forEach((listener) => listener(name, payload));
    window.api = {
      invoke: (channel, input) => window.__pushdeckInvoke!(channel, input),
      // A browser gives no file paths: dropped files travel as text, as they would from a web page, unless a
      // test plays the preload's webUtils.getPathForFile (window.__pushdeckPathForFile).
      registerFile: async (file: File) => {
        const found = window.__pushdeckPathForFile?.(file) ?? null;
        if (!found) return null;
        const answer = await window.__pushdeckRegisterFile!(found);
        if (!answer.ok) throw new Error(answer.error.message);
        return answer.result;
      },
      on: (eventName, listener) => {
        heard.add(eventName);
        const forward = (name: string, payload: unknown) => {
          if (name === eventName) (listener as (payload: unknown) => void)(payload);
        };
        listeners.add(forward);
        return () => listeners.delete(forward);
      },
    } as Window['api'];
  });
  await page.goto(server.url);
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  // A test changes data next: the window must be listening for the change by then, as it is in the app
  // long before anyone can act.
  await page.waitForFunction(() => window.__pushdeckHeard?.has('data.changed'));
  return {
    page,
    pageErrors,
    async screenshot(name) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, `${name}.png`);
      // Transitions are fast-forwarded, so a picture never catches a button halfway out of its loading state.
      await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
      return file;
    },
    async close() {
      await context.close();
      await server.close();
    },
  };
}

export interface AppOptions extends BackendOptions, WindowOptions {}

export interface AppSession extends AppWindow {
  ctx: CoreContext;
}

/** Starts the real handler table over a real SQLite file and opens the built renderer against it. */
export async function openApp(browser: Browser, options: AppOptions): Promise<AppSession> {
  const started = startBackend(options);
  const window = await openWindow(browser, started.backend, options);
  return {
    ...window,
    ctx: started.ctx,
    async close() {
      await window.close();
      await started.close();
    },
  };
}

declare global {
  interface Window {
    __pushdeckEmit?: (name: string, payload: unknown) => void;
    __pushdeckHeard?: Set<string>;
    __pushdeckInvoke?: (channel: string, input: unknown) => Promise<never>;
    /** Plays the preload's webUtils.getPathForFile in a test: the path of a dropped File, or null. */
    __pushdeckPathForFile?: (file: File) => string | null;
    __pushdeckRegisterFile?: (
      file: string,
    ) => Promise<{ ok: true; result: ChosenFile } | { ok: false; error: { message: string } }>;
  }
}
