import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isSafeExternalUrl,
  isTrustedRendererUrl,
} from '../../src/main/web-policy.ts';

describe('web policy', () => {
  it('index.html carries the same CSP that the app sends as a header, with no inline script', () => {
    const html = fs.readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('lets only https links with a host and no credentials leave the app', () => {
    expect(isSafeExternalUrl('https://example.com/docs')).toBe(true);
    expect(isSafeExternalUrl('http://example.com')).toBe(false);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@example.com')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });

  it('trusts only the renderer page itself', () => {
    const file = 'file:///opt/Pushdeck/resources/app/out/renderer/index.html';
    expect(isTrustedRendererUrl(`${file}#/keys`, file)).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/evil.html', file)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/', file)).toBe(false);
  });
});
