// Where a worker thread's script is. Under Node (CLI, tests) the TypeScript source sits beside the module
// that starts it; in the Electron bundle every worker is its own entry in out/main (electron.vite.config.ts),
// beside index.js. The starting code may have been split into out/main/chunks/, hence the step up.
export function workerUrl(startingModuleUrl: string, name: string): URL {
  if (startingModuleUrl.endsWith('.ts')) return new URL(`./${name}.ts`, startingModuleUrl);
  const bundleDir = /\/chunks\/[^/]+$/.test(startingModuleUrl) ? '../' : './';
  return new URL(`${bundleDir}${name}.js`, startingModuleUrl);
}
