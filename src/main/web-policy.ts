// The renderer's web policy: its Content Security Policy (sent as a header by the app and repeated in
// index.html's meta tag; a test keeps the two equal), which URLs count as our own page, which links may leave.
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

/** True when `url` is the app's own renderer page: the same file, or the same dev-server origin. */
export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  try {
    const trusted = new URL(rendererUrl);
    const candidate = new URL(url);
    if (trusted.protocol === 'file:')
      return candidate.protocol === 'file:' && candidate.pathname === trusted.pathname;
    return candidate.origin === trusted.origin;
  } catch {
    return false;
  }
}
