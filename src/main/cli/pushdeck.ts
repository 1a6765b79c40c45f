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

process.exitCode = await runCli(process.argv.slice(2));
