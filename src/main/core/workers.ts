// Where a worker thread's script is. Under Node (CLI, tests) the TypeScript source sits beside the module
// that starts it; in the Electron bundle every worker is its own entry in out/main (electron.vite.config.ts),
// beside index.js, which is then the starting module's import.meta.url.
export function workerUrl(startingModuleUrl: string, name: string): URL {
  return startingModuleUrl.endsWith('.ts')
    ? new URL(`./${name}.ts`, startingModuleUrl)
    : new URL(`./${name}.js`, startingModuleUrl);
}
