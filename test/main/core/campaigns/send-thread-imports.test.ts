// What the sending and encryption threads load at start: each thread strips and compiles its whole static
// module graph again on every send, so the schemas (zod, ~75 ms CPU to load) and the audience query stay out.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Static imports and re-exports that load a module: `import type` is erased, `import { type X }` is not
// (verbatimModuleSyntax keeps the import); dynamic import() is lazy and not followed.
const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(?!type\b)[^'"]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function moduleGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = (match[1] ?? match[2])!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(path.resolve(entry));
  return { files: [...files].map((file) => path.relative(process.cwd(), file)), packages: [...packages] };
}

describe('the threads of a send', () => {
  it('the sending thread loads neither zod nor the audience query', () => {
    const graph = moduleGraph('src/main/core/campaigns/send-worker.ts');
    expect(graph.files).toContain(path.join('src', 'main', 'core', 'payload', 'build.ts'));
    expect(graph.packages).toContain('node:http2');
    expect(graph.packages).not.toContain('zod');
    expect(graph.packages).not.toContain('undici');
    expect(graph.files.filter((file) => file.includes(`${path.sep}compose${path.sep}`))).toStrictEqual([]);
  });

  it('an encryption thread loads only the encryption', () => {
    const graph = moduleGraph('src/main/core/push/encrypt-worker.ts');
    expect(graph.packages.filter((name) => !name.startsWith('node:'))).toStrictEqual([]);
    expect(graph.files.length).toBeLessThanOrEqual(6);
  });
});
