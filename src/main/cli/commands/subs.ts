// `pushdeck subs …`: import, export, list and count subscriptions.
import type { Command } from 'commander';
import type { CommandEnv } from '../program.ts';

export function registerSubsCommands(_program: Command, _env: CommandEnv): void {}
