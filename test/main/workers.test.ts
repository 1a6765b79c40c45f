// Worker threads must be found both from the TypeScript sources and from the Electron bundle that
// `npm run build` writes to out/main (npm test builds before it tests).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerUrl } from '../../src/main/core/workers.ts';

const bundle = path.resolve('out/main');

function bundleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? bundleFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    )
    .filter((file) => file.endsWith('.js'));
}

describe('workerUrl', () => {
  it('finds every worker that the sources start', () => {
    const sources = fs.globSync('src/main/**/*.ts');
    const calls = sources.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/workerUrl\(import\.meta\.url, '([\w-]+)'\)/g)].map((m) => ({
        file,
        name: m[1]!,
      })),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const { file, name } of calls) {
      expect(fs.existsSync(fileURLToPath(workerUrl(pathToFileURL(path.resolve(file)).href, name)))).toBe(
        true,
      );
    }
  });

  it('finds every worker that the Electron bundle starts, from index.js or from a shared chunk', () => {
    expect(fs.existsSync(path.join(bundle, 'index.js')), 'run `npm run build` first').toBe(true);
    const calls = bundleFiles(bundle).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/workerUrl\(import\.meta\.url, "([\w-]+)"\)/g)].map((m) => ({
        file,
        name: m[1]!,
      })),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const { file, name } of calls) {
      const target = fileURLToPath(workerUrl(pathToFileURL(file).href, name));
      expect(fs.existsSync(target), `${path.relative(bundle, file)} starts ${name}`).toBe(true);
    }
    // A call moved into out/main/chunks/ must still reach out/main/<name>.js.
    const fromChunk = workerUrl(pathToFileURL(path.join(bundle, 'chunks', 'x.js')).href, 'send-worker');
    expect(fileURLToPath(fromChunk)).toBe(path.join(bundle, 'send-worker.js'));
  });
});
