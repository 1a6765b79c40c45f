// The one-time page that adds a browser as a test device: the core's subscribe code with the app's key and
// a "Subscribe this browser" button, under a Content Security Policy that allows only its own inline code
// and requests to its own origin. Also names the browser and system from its User-Agent for the label.
import crypto from 'node:crypto';
import { subscribeSnippet } from '../snippets/web-push-snippets.ts';

export interface RegistrationPage {
  html: string;
  contentSecurityPolicy: string;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;color:#222}
button{font:inherit;padding:.6em 1.2em;border-radius:6px;border:0;background:#228be6;color:#fff;cursor:pointer}
button:disabled{background:#999}#status{margin-top:1em;font-weight:600}small{color:#666}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const hash = (text: string) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;

/** The page for `app` at http://127.0.0.1:PORT/TOKEN/ (its worker and POST live under the same folder). */
export function registrationPage(input: {
  appName: string;
  publicKey: string;
  origin: string;
  basePath: string;
}): RegistrationPage {
  const script = `
${subscribeSnippet(input.publicKey, {
  serviceWorkerUrl: `${input.basePath}sw.js`,
  subscriptionsUrl: `${input.basePath}api/push-subscriptions`,
})}
const button = document.getElementById('subscribe');
const status = document.getElementById('status');
button.addEventListener('click', () => {
  button.disabled = true;
  status.textContent = 'Subscribing…';
  subscribeToPush().then(
    (subscription) => {
      status.textContent = subscription
        ? 'This browser is now a test device. You can close this tab and send a test from Pushdeck.'
        : 'Notifications are blocked for this page: allow them in the address bar, then try again.';
      if (!subscription) button.disabled = false;
    },
    (error) => {
      status.textContent = 'It did not work: ' + error.message;
      button.disabled = false;
    },
  );
});
`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Add this browser as a test device · Pushdeck</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Add this browser as a test device</h1>
<p>Pushdeck will send <strong>${escapeHtml(input.appName)}</strong>'s test notifications to this browser, so that you
see them as your subscribers will before you send a campaign.</p>
<p><small>Notifications from here show <strong>${escapeHtml(input.origin.replace('http://', ''))}</strong> as their
site, not ${escapeHtml(input.appName)}. This page works once and for 10 minutes.</small></p>
<button id="subscribe" type="button">Subscribe this browser</button>
<p id="status" role="status"></p>
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(STYLE)}`,
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

/** "Firefox 153 on Linux" from a User-Agent; the parts it cannot tell are left out. */
export function browserLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const version = (pattern: RegExp) => pattern.exec(ua)?.[1]?.split('.')[0];
  const browsers: Array<[string, RegExp]> = [
    ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
    ['Opera', /OPR\/([\d.]+)/],
    ['Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
    ['Chrome', /(?:Chrome|CriOS)\/([\d.]+)/],
    ['Safari', /Version\/([\d.]+).*Safari\//],
  ];
  const found = browsers.find(([, pattern]) => pattern.test(ua));
  const browser = found ? `${found[0]} ${version(found[1])}` : 'Browser';
  const systems: Array<[string, RegExp]> = [
    ['Android', /Android/],
    ['iOS', /iPhone|iPad|iPod/],
    ['Windows', /Windows/],
    ['macOS', /Mac OS X|Macintosh/],
    ['ChromeOS', /CrOS/],
    ['Linux', /Linux|X11/],
  ];
  const system = systems.find(([, pattern]) => pattern.test(ua))?.[0];
  return system ? `${browser} on ${system}` : browser;
}
