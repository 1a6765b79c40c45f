// Finds the Chromium that the browser tests drive: PUSHDECK_CHROMIUM, else a Chromium, Chrome or Edge
// installed where each OS puts it, else the headless Chromium that npm delivers in @sparticuz/chromium
// (unpacked once, offline, into node_modules/.cache). Nothing is downloaded.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export interface ChromiumBinary {
  executablePath: string;
  /** Where it came from, for one line in a failure message. */
  source: 'PUSHDECK_CHROMIUM' | 'installed' | '@sparticuz/chromium';
  /** Extra environment for the browser process (the npm build's own fonts). */
  env: Record<string, string>;
}

/** The flags every Pushdeck browser test uses (no network chatter on a closed network, no GPU). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const NO_CHROMIUM_MESSAGE =
  'No Chromium for the browser tests: run `npm install` (it brings @sparticuz/chromium, a headless Chromium for Linux x64), ' +
  'install Chrome, Chromium or Edge, or set PUSHDECK_CHROMIUM=/path/to/chrome.';

export function installedBrowserCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The npm package's folder, or null where it is not installed (it is a devDependency for Linux only). */
function sparticuzDir(): string | null {
  // Its `exports` map hides package.json from require.resolve, so look in the checkout's node_modules.
  const dir = fileURLToPath(new URL('../../node_modules/@sparticuz/chromium/', import.meta.url));
  return fs.existsSync(path.join(dir, 'bin', 'chromium.br')) ? dir : null;
}

async function inflateTo(source: string, target: string): Promise<void> {
  await pipeline(fs.createReadStream(source), zlib.createBrotliDecompress(), fs.createWriteStream(target));
}

/**
 * Unpacks the package's brotli-compressed Chromium and fonts into a folder of its own. A staging folder is
 * renamed into place, so two test processes starting at once never run a half-written binary.
 */
async function unpackSparticuz(packageDir: string): Promise<ChromiumBinary> {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const cacheRoot = path.resolve(packageDir, '..', '..', '.cache');
  const target = path.join(cacheRoot, `pushdeck-chromium-${version}`);
  const binary = path.join(target, 'chromium');
  const fontsConf = path.join(target, 'fonts.conf');
  const found = (): ChromiumBinary => ({
    executablePath: binary,
    source: '@sparticuz/chromium',
    env: { FONTCONFIG_FILE: fontsConf },
  });
  if (isExecutable(binary)) return found();

  fs.mkdirSync(cacheRoot, { recursive: true });
  const staging = `${target}.partial-${randomUUID()}`;
  fs.mkdirSync(staging);
  try {
    await inflateTo(path.join(packageDir, 'bin', 'chromium.br'), path.join(staging, 'chromium'));
    fs.chmodSync(path.join(staging, 'chromium'), 0o755);
    // fonts.tar.br holds fonts/Open_Sans/*.ttf: a page renders text even where the system has no fonts.
    const fontsTar = path.join(staging, 'fonts.tar');
    await inflateTo(path.join(packageDir, 'bin', 'fonts.tar.br'), fontsTar);
    const require = createRequire(path.join(packageDir, 'package.json'));
    const tar = require('tar-fs') as { extract(dir: string): NodeJS.WritableStream };
    await pipeline(fs.createReadStream(fontsTar), tar.extract(staging));
    fs.rmSync(fontsTar);
    fs.rmSync(path.join(staging, 'fonts.conf'), { force: true });
    // The package's own fonts.conf names AWS Lambda's folders; this one adds the system's configuration.
    fs.writeFileSync(
      path.join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${path.join(target, 'fonts')}</dir>`,
        `  <cachedir>${path.join(target, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another process unpacked it first: use theirs.
      if (!isExecutable(binary)) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return found();
}

let resolved: Promise<ChromiumBinary> | undefined;

/** The browser to drive, found once per process; rejects with NO_CHROMIUM_MESSAGE's advice when none is. */
export function findChromium(): Promise<ChromiumBinary> {
  resolved ??= resolveChromium();
  return resolved;
}

async function resolveChromium(): Promise<ChromiumBinary> {
  const fromEnv = process.env.PUSHDECK_CHROMIUM;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`PUSHDECK_CHROMIUM=${fromEnv} is not an executable file. ${NO_CHROMIUM_MESSAGE}`);
    }
    return { executablePath: fromEnv, source: 'PUSHDECK_CHROMIUM', env: {} };
  }
  const installed = installedBrowserCandidates().find(isExecutable);
  if (installed) return { executablePath: installed, source: 'installed', env: {} };
  // The package's binary is built for Linux x64 only.
  const packageDir = process.platform === 'linux' && process.arch === 'x64' ? sparticuzDir() : null;
  if (packageDir) return unpackSparticuz(packageDir);
  throw new Error(NO_CHROMIUM_MESSAGE);
}
