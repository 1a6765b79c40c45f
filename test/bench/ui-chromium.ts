// bench:ui's Chromium, started in the bench's own session so that the window's processes and the app's main
// process are scheduled as one group, as the desktop app's are.
//
// Why not Playwright's launch: it spawns the browser `detached` on Linux and macOS (playwright-core's process
// launcher: "`detached: true` makes child process a leader of a new process group"), and Node's `detached`
// calls setsid(2) there (nodejs.org/api/child_process.html#optionsdetached). Where the kernel groups tasks by
// session (CONFIG_SCHED_AUTOGROUP, /proc/sys/kernel/sched_autogroup_enabled = 1 on the machine these figures come from), the
// browser then gets a CPU share of its own beside the app's process, and on two cores the app's main loop
// waited up to 90-100 ms for a core behind its own export thread while both cores were busy
// (/proc/thread-self/schedstat: run 1.6 ms, run-queue wait 90.3 ms in a gap of 91 ms; /proc/stat: no idle
// and no steal). In Electron the main process *is* the browser process, and Chromium starts its renderer and
// GPU processes in its own session (here: every process of the browser showed the same /proc/PID/autogroup),
// so the desktop app's main loop and window share one group. Here Chromium is spawned without a new session
// and Playwright connects to it over CDP.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';

/**
 * What Playwright's launch adds and the window's timings depend on (playwright-core chromiumSwitches): no
 * throttled timers or backgrounded renderer in a headless window, no hang monitor, no IPC flood guard.
 */
const PLAYWRIGHT_SWITCHES = [
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-breakpad',
  '--no-default-browser-check',
  '--password-store=basic',
];

export interface BenchBrowser {
  browser: Browser;
  /** Closes the connection and ends the browser. */
  close(): Promise<void>;
}

export async function launchChromiumInSession(): Promise<BenchBrowser> {
  const binary = await findChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pushdeck-bench-chromium-'));
  const child = spawn(
    binary.executablePath,
    [
      ...CHROMIUM_ARGS,
      ...PLAYWRIGHT_SWITCHES,
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { env: { ...process.env, ...binary.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in 30 s:\n${text}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium ended (exit code ${code}) before it listened:\n${text}`));
    });
  });
  // Keep reading what it says, so that a full pipe never blocks it.
  child.stderr.resume();
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      child.kill('SIGTERM');
      await ended;
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
