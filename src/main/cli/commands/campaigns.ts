// `pushdeck send …` and `pushdeck campaign …`.
import type { Command } from 'commander';
import type { CommandEnv } from '../program.ts';

export function registerCampaignCommands(_program: Command, _env: CommandEnv): void {}
