// The renderer's web policy: its Content Security Policy (sent as a header by the app and repeated in
// index.html's meta tag; a test keeps the two equal), which URLs count as our own page, which links may leave.
import { pathToFileURL } from 'node:url';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine and React set inline style attributes; inline script stays forbidden.
  "style-src 'self' 'unsafe-inline'",
  // Notification previews show the icon and image URLs the user typed.
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Only plain https links to a real host leave the app, and only in the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Pushdeck's own documentation: these links open without asking. */
export const DOC_URL_PREFIXES = ['https://pushdeck.dev/docs/'] as const;

export type ExternalLinkAction = 'open' | 'confirm' | 'deny';

/**
 * What a link the window asks to open in the system browser gets: Pushdeck's own documentation opens,
 * a link the user put in a message opens after a confirmation that shows its host, anything else is refused
 * (a page that went wrong must not open arbitrary URLs or hand them to other apps).
 */
export function externalLinkAction(url: string, isInMessage: (url: string) => boolean): ExternalLinkAction {
  if (!isSafeExternalUrl(url)) return 'deny';
  if (DOC_URL_PREFIXES.some((prefix) => url.startsWith(prefix))) return 'open';
  return isInMessage(url) ? 'confirm' : 'deny';
}

/**
 * The page the window loads: the dev server's URL (ELECTRON_RENDERER_URL, set by electron-vite dev) only in
 * an unpackaged build; a packaged app always loads its own file, whatever its environment says.
 */
export function rendererUrlFor(options: {
  packaged: boolean;
  devServerUrl: string | undefined;
  rendererFile: string;
}): string {
  if (!options.packaged && options.devServerUrl) return options.devServerUrl;
  return pathToFileURL(options.rendererFile).href;
}

/** True when `url` is the app's own renderer page: the same file on this machine, or the same dev-server origin. */
export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const trusted = new URL(rendererUrl);
    const candidate = new URL(url);
    if (trusted.protocol === 'file:') {
      // file://host/… names a file on another machine (a UNC share on Windows): the host must match too.
      return (
        candidate.protocol === 'file:' &&
        candidate.host === trusted.host &&
        candidate.pathname === trusted.pathname
      );
    }
    return candidate.origin === trusted.origin;
  } catch {
    return false;
  }
}
