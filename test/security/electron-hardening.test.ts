// The Electron hardening that can be checked under Node: the fuses electron-builder flips (by the names its
// own schema knows), which page the window loads and trusts, which links leave it, and what a failed start says.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PushdeckError } from '../../src/shared/errors.ts';
import { isUrlInMessages } from '../../src/main/core/compose/message-urls.ts';
import { startupFailure } from '../../src/main/startup-failure.ts';
import { externalLinkAction, isTrustedRendererUrl, rendererUrlFor } from '../../src/main/web-policy.ts';
import { testContext } from '../support/context.ts';
import { createTestApp } from '../support/fixtures.ts';
import { draft } from '../main/core/campaigns/fixtures.ts';

/** The `electronFuses:` block of electron-builder.yml, as key → boolean. */
function fuses(): Record<string, boolean> {
  const yml = fs.readFileSync('electron-builder.yml', 'utf8');
  const block = /^electronFuses:\n((?: {2}.+\n?)+)/m.exec(yml)?.[1] ?? '';
  return Object.fromEntries(
    [...block.matchAll(/^ {2}(\w+): (true|false)$/gm)].map((m) => [m[1]!, m[2] === 'true']),
  );
}

describe('Electron hardening', () => {
  it('flips the fuses of issue 12, each a FuseOptionsV1 option of the installed electron-builder', () => {
    expect(fuses()).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    const scheme = JSON.parse(fs.readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    const known = Object.keys(scheme.definitions.FuseOptionsV1!.properties);
    for (const name of Object.keys(fuses())) expect(known).toContain(name);
  });

  it('loads the dev server only in an unpackaged build', () => {
    const rendererFile = path.resolve('out/renderer/index.html');
    const own = pathToFileURL(rendererFile).href;
    const devServerUrl = 'http://localhost:5173/';
    expect(rendererUrlFor({ packaged: false, devServerUrl, rendererFile })).toBe(devServerUrl);
    expect(rendererUrlFor({ packaged: true, devServerUrl: 'https://evil.example/', rendererFile })).toBe(own);
    expect(rendererUrlFor({ packaged: false, devServerUrl: undefined, rendererFile })).toBe(own);
  });

  it('trusts a file: URL only on this machine: the host must match', () => {
    const file = 'file:///opt/Pushdeck/resources/app/out/renderer/index.html';
    expect(isTrustedRendererUrl(`${file}#/keys`, file)).toBe(true);
    expect(
      isTrustedRendererUrl('file://evil-host/opt/Pushdeck/resources/app/out/renderer/index.html', file),
    ).toBe(false);
  });

  it('opens Pushdeck’s documentation, asks first for a link from a message, refuses everything else', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    draft(ctx, app, {
      message: {
        format: 'notification',
        notification: { title: 'Sale', url: 'https://shop.example/sale?a=1' },
      },
    });
    const inMessage = (url: string) => isUrlInMessages(ctx.db, url);
    expect(externalLinkAction('https://pushdeck.dev/docs/keys', inMessage)).toBe('open');
    expect(externalLinkAction('https://shop.example/sale?a=1', inMessage)).toBe('confirm');
    expect(externalLinkAction('https://shop.example/other', inMessage)).toBe('deny');
    expect(externalLinkAction('https://evil.example/', inMessage)).toBe('deny');
    expect(externalLinkAction('https://pushdeck.dev.evil.example/docs/', inMessage)).toBe('deny');
    expect(externalLinkAction('file:///etc/passwd', inMessage)).toBe('deny');
    ctx.db.close();
  });

  it('tells the user which file failed, why and what to do, with the reason capped', () => {
    const damaged = startupFailure(
      new PushdeckError('DB_INVALID', '/home/a/.config/Pushdeck/pushdeck.db is not a Pushdeck database'),
      '/home/a/.config/Pushdeck/pushdeck.db',
    );
    expect(damaged.title).toBe('Pushdeck cannot start');
    expect(damaged.message).toContain('/home/a/.config/Pushdeck/pushdeck.db');
    expect(damaged.message).toMatch(/restore.*backup|last backup/);
    expect(damaged.message).toContain('PUSHDECK_DB');
    const long = startupFailure(new Error('x'.repeat(10_000)), '/db');
    expect(long.message.length).toBeLessThan(1200);
  });
});
