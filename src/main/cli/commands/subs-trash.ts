// `pushdeck subs delete|restore|trash empty`: the trash from the command line. Delete and emptying the
// trash only count without --yes (and exit 1); restore brings back what the same selectors name.
import { Option } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  subscriptionStatuses,
  type Selection,
  type SubscriptionStatus,
} from '../../../shared/subscriptions.ts';
import type { Call } from '../dispatcher.ts';
import { collect } from '../flags.ts';
import { printData, usageError, type Output } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

interface Selectors {
  app: string;
  all?: boolean;
  tag?: string[];
  status?: SubscriptionStatus;
  endpoint?: string[];
  yes?: boolean;
}

const plural = (n: number) => `${n.toLocaleString('en')} subscription${n === 1 ? '' : 's'}`;

/** The selection the flags name, in the list (delete) or in the trash (restore); exactly one kind of flag. */
async function selectionOf(call: Call, appId: number, flags: Selectors, inTrash: boolean, out: Output) {
  const kinds = [flags.all, flags.tag?.length || flags.status, flags.endpoint?.length].filter(Boolean);
  if (kinds.length !== 1) {
    throw usageError('name what to select: --all, --tag T (repeatable) and/or --status S, or --endpoint URL');
  }
  if (flags.endpoint?.length) {
    const endpoints = [...new Set(flags.endpoint)];
    const found = (await call('subscriptions.findByEndpoint', { appId, endpoints, inTrash })).ids;
    const ids: number[] = [];
    endpoints.forEach((endpoint, i) => {
      const id = found[i];
      if (id === null || id === undefined)
        out.stderr(`pushdeck: no subscription ${inTrash ? 'in the trash ' : ''}has the endpoint ${endpoint}`);
      else ids.push(id);
    });
    return { selection: ids.length ? ({ ids } satisfies Selection) : null, count: ids.length };
  }
  const filter = {
    tags: flags.tag?.length ? flags.tag : undefined,
    status: flags.status,
    deleted: inTrash || undefined,
  };
  const { count } = await call('subscriptions.count', { appId, filter });
  return { selection: { filter } satisfies Selection, count };
}

function addSelectors(command: CliCommand, verb: string): CliCommand {
  return command
    .requiredOption('--app <name>', 'the app')
    .option('--all', `${verb} every subscription`)
    .option('--tag <tag>', `${verb} the subscriptions with this tag (repeatable: any of them)`, collect)
    .addOption(
      new Option('--status <status>', `${verb} only active or only expired ones`).choices(
        subscriptionStatuses,
      ),
    )
    .option('--endpoint <url>', `${verb} the subscription with this endpoint (repeatable)`, collect);
}

/** Without --yes: says what would happen, and exits 1 so that a script sees nothing was done. */
function unconfirmed(env: CommandEnv, data: object, text: string): never {
  printData(env.output(), data, () => text);
  throw new PushdeckError('CONFIRMATION_REQUIRED', 'Nothing was changed: add --yes to do it.');
}

export function registerSubsTrashCommands(subs: CliCommand, env: CommandEnv): void {
  addSelectors(subs.command('delete'), 'move to the trash')
    .description('move subscriptions to the trash (nothing is sent to them; restore brings them back)')
    .option('--yes', 'do it: without it, only count what would be moved')
    .coreAction(env, async (call, flags: Selectors) => {
      const app = await call('apps.get', { app: flags.app });
      const { selection, count } = await selectionOf(call, app.id, flags, false, env.output());
      if (!flags.yes) {
        unconfirmed(
          env,
          { deleted: 0, matching: count },
          `${plural(count)} of ${app.name} would go to the trash.`,
        );
      }
      const deleted = selection
        ? (await call('subscriptions.delete', { appId: app.id, selection })).count
        : 0;
      printData(
        env.output(),
        { deleted },
        () =>
          `Moved ${plural(deleted)} of ${app.name} to the trash (pushdeck subs restore brings them back).`,
      );
    });

  addSelectors(subs.command('restore'), 'restore')
    .description('bring subscriptions back from the trash')
    .coreAction(env, async (call, flags: Selectors) => {
      const app = await call('apps.get', { app: flags.app });
      const { selection } = await selectionOf(call, app.id, flags, true, env.output());
      const restored = selection
        ? (await call('subscriptions.restore', { appId: app.id, selection })).count
        : 0;
      printData(env.output(), { restored }, () => `Restored ${plural(restored)} of ${app.name}.`);
    });

  subs
    .command('trash')
    .description('the trash of deleted subscriptions')
    .command('empty')
    .description('delete the subscriptions in the trash for good')
    .requiredOption('--app <name>', 'the app')
    .option('--yes', 'do it: without it, only count what is in the trash')
    .coreAction(env, async (call, flags: { app: string; yes?: boolean }) => {
      const app = await call('apps.get', { app: flags.app });
      if (!flags.yes) {
        const { count } = await call('subscriptions.count', { appId: app.id, filter: { deleted: true } });
        unconfirmed(
          env,
          { purged: 0, matching: count },
          `${plural(count)} of ${app.name} in the trash would be deleted for good.`,
        );
      }
      const { count: purged } = await call('subscriptions.trash.empty', { appId: app.id });
      printData(env.output(), { purged }, () => `Deleted ${plural(purged)} of ${app.name} for good.`);
    });
}
