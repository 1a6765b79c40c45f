// Finds Firefox on this machine and launches it headless through puppeteer-core over WebDriver BiDi, with
// its push client pointed at a local push service. Nothing is downloaded: executablePath only.
import fs from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

const candidates = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
  'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
];

export const FIREFOX_MISSING =
  'Firefox not found: the Firefox suite is skipped. Install it (Debian: apt-get install firefox-esr) or set PUSHDECK_FIREFOX.';

/** PUSHDECK_FIREFOX, or the first Firefox found where systems install it; null when there is none. */
export function findFirefox(): string | null {
  const given = process.env.PUSHDECK_FIREFOX;
  if (given) return given;
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

/**
 * Locally a missing Firefox skips the suite with one line saying how to install it; under CI=true it is
 * a failure (the suite's first test throws FIREFOX_MISSING).
 */
export function firefoxOrSkip(): { executable: string | null; skip: boolean } {
  const executable = findFirefox();
  if (executable || process.env.CI === 'true') return { executable, skip: false };
  console.warn(FIREFOX_MISSING);
  return { executable: null, skip: true };
}

/** The prefs that make Firefox's push client talk to `serverUrl` and show notifications headless. */
export function pushPrefs(serverUrl: string): Record<string, unknown> {
  return {
    'dom.push.serverURL': serverUrl,
    // ws:// is refused unless this is set (PushService's URL check).
    'dom.push.testing.allowInsecureServerURL': true,
    // WebDriver's recommended prefs turn push off; subscribe() then fails with AbortError.
    'dom.push.connection.enabled': true,
    // Headless Linux has no notification daemon: showNotification rejects with the system backend.
    'alerts.useSystemBackend': false,
    // Notification actions (the buttons) are behind this pref before Firefox 152, off outside Nightly: in
    // 140 ESR `actions` is missing from Notification and showNotification drops the buttons (MDN's notes,
    // github.com/mdn/content/pull/39033 for 138 and /pull/44183 for 152, bug 1959931). On, the suite sees
    // the buttons as a Firefox that ships them shows them.
    'dom.webnotifications.actions.enabled': true,
    // Granted without a prompt: nobody is there to click it.
    'permissions.default.desktop-notification': 1,
    // Reconnect within a second after the service drops the connection (default 5 s, doubling).
    'dom.push.retryBaseInterval': 500,
    'dom.push.loglevel': process.env.PUSHDECK_PUSH_LOG ? 'debug' : 'error',
    'devtools.console.stdout.chrome': Boolean(process.env.PUSHDECK_PUSH_LOG),
  };
}

export async function launchFirefox(executable: string | null, serverUrl: string): Promise<Browser> {
  if (!executable)
    throw new Error(`${FIREFOX_MISSING.replace(': the Firefox suite is skipped', '')} (CI=true)`);
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: executable,
    headless: true,
    extraPrefsFirefox: pushPrefs(serverUrl),
    dumpio: Boolean(process.env.PUSHDECK_PUSH_LOG),
    // Puppeteer waits 30 s for the browser's WebDriver BiDi endpoint by default (LaunchOptions.timeout); a
    // fresh clone's CI once hit it while other suites ran, so Firefox gets 60 s, within the suites' 90 s hooks.
    timeout: 60_000,
  });
}
