// The Electron security scan (Doyensec's electronegativity) over src/, inside `npm test`: any finding of
// high severity fails. Run offline: translations come from the package, and the one check that asks the
// network for Electron advisories is left out (the pinned Electron version is checked in package.json).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const require = createRequire(import.meta.url);

interface Finding {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description: string;
}

async function scan(input: string): Promise<{ issues: Finding[]; errors: unknown[]; atomicChecks: number }> {
  // The scanner's own i18n loader fetches translations from the internet; use the bundled English ones.
  const i18n = require('i18n') as { configure(options: object): void };
  const localesDir = path.join(path.dirname(require.resolve('@doyensec/electronegativity')), 'locales');
  const loaderPath = path.join(localesDir, 'i18n.js');
  const offlineLoader = async () =>
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: localesDir,
      updateFiles: false,
      objectNotation: true,
      register: globalThis,
    });
  require.cache[loaderPath] = {
    id: loaderPath,
    filename: loaderPath,
    loaded: true,
    exports: offlineLoader,
  } as never;
  const run = require('@doyensec/electronegativity') as (options: object, forCli: boolean) => Promise<never>;
  return run(
    {
      input,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      severitySet: 'informational',
      confidenceSet: 'tentative',
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: '45.5.0',
      parserPlugins: [],
    },
    false,
  );
}

describe('electron security scan', () => {
  it('finds no high-severity issue in src/', { timeout: 120_000 }, async () => {
    const result = await scan(path.resolve('src'));
    expect(result.atomicChecks).toBeGreaterThan(10);
    const high = result.issues.filter((issue) => issue.severity.name === 'HIGH');
    expect(high.map((issue) => `${issue.id} ${issue.file}:${issue.location.line}`)).toEqual([]);
  });

  it('does flag an insecure window, so a pass above means something', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron');\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n',
    );
    const result = await scan(dir);
    expect(result.issues.filter((issue) => issue.severity.name === 'HIGH').length).toBeGreaterThan(0);
  });
});
