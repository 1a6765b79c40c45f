// `pushdeck template …` and `pushdeck segment …`.
import type { Command } from 'commander';
import type { CommandEnv } from '../program.ts';

export function registerComposeCommands(_program: Command, _env: CommandEnv): void {}
