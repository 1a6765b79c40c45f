#!/usr/bin/env node
// The `pushdeck` command. Runs the TypeScript sources directly: Node 22.18+ strips types by itself.
import { runCli } from './program.ts';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `pushdeck: needs Node.js 22 or later (this is ${process.version}). Run it with npx pushdeck.\n`,
  );
  process.exit(1);
}

// Piped into `head`: once the reader has gone, stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

process.exitCode = await runCli(process.argv.slice(2));
