// `pushdeck app …` and `pushdeck keys …`.
import type { Command } from 'commander';
import type { CommandEnv } from '../program.ts';

export function registerAppCommands(_program: Command, _env: CommandEnv): void {}
