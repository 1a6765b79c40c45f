import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Where a worker thread's script is. Under Node (CLI, tests) the TypeScript source sits beside the module
// that starts it; in the Electron bundle every worker is its own entry in out/main (electron.vite.config.ts),
// beside index.js. The starting code may have been split into out/main/chunks/, hence the step up.
// Under Node, PUSHDECK_WORKER_BUNDLE=<a built out/main> starts the workers from that bundle, as the desktop
// app does, rather than from their sources through type stripping: bench:ui's app process sets it, so that
// its threads start as fast as the app's (a query thread was ready in ~170 ms from the bundle against
// 450-560 ms from the source, three starts each).
export function workerUrl(startingModuleUrl: string, name: string): URL {
  const bundle = process.env.PUSHDECK_WORKER_BUNDLE;
  if (startingModuleUrl.endsWith('.ts') && bundle) return pathToFileURL(path.join(bundle, `${name}.js`));
  if (startingModuleUrl.endsWith('.ts')) return new URL(`./${name}.ts`, startingModuleUrl);
  const bundleDir = /\/chunks\/[^/]+$/.test(startingModuleUrl) ? '../' : './';
  return new URL(`${bundleDir}${name}.js`, startingModuleUrl);
}

/**
 * Lowers the calling thread's scheduling priority (nice 10), for threads doing long CPU work (encryption,
 * dry runs): when the cores are busy, the main process's event loop and the window come first. Linux gives
 * each thread its own nice value (setpriority(2) on its thread id, read from /proc/thread-self); elsewhere
 * this does nothing.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    // Ten below what the thread has now (a process started under `nice` keeps its own lead), 19 at most.
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.min(19, os.getPriority(tid) + 10));
  } catch {
    // No /proc (macOS, Windows) or not allowed: the thread keeps the process's priority.
  }
}
