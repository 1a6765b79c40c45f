// `pushdeck subs delete|restore|trash empty`: the trash from the command line. Delete and emptying the
// trash only count without --yes (and exit 1); restore brings back what the same selectors name.
import { Option, type Command } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  subscriptionStatuses,
  type Selection,
  type SubscriptionStatus,
} from '../../../shared/subscriptions.ts';
import { getApp } from '../../core/apps/apps.ts';
import type { CoreContext } from '../../core/context.ts';
import {
  deleteSubscriptions,
  emptyTrash,
  restoreSubscriptions,
} from '../../core/subscriptions/bulk-actions.ts';
import { endpointHash } from '../../core/subscriptions/endpoint-hash.ts';
import { countSubscriptions } from '../../core/subscriptions/list-query.ts';
import { collect } from '../flags.ts';
import { printData, usageError, type Output } from '../output.ts';
import type { CommandEnv } from '../program.ts';

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
function selectionOf(ctx: CoreContext, appId: number, flags: Selectors, inTrash: boolean, out: Output) {
  const kinds = [flags.all, flags.tag?.length || flags.status, flags.endpoint?.length].filter(Boolean);
  if (kinds.length !== 1) {
    throw usageError('name what to select: --all, --tag T (repeatable) and/or --status S, or --endpoint URL');
  }
  if (flags.endpoint?.length) {
    const find = ctx.db
      .prepare(
        `SELECT id FROM subscriptions WHERE app_id = ? AND endpoint_hash = ? AND endpoint = ?
           AND deleted_at IS ${inTrash ? 'NOT NULL' : 'NULL'}`,
      )
      .pluck();
    const ids: number[] = [];
    for (const endpoint of new Set(flags.endpoint)) {
      const id = find.get(appId, endpointHash(endpoint), endpoint) as number | undefined;
      if (id === undefined)
        out.stderr(`pushdeck: no subscription ${inTrash ? 'in the trash ' : ''}has the endpoint ${endpoint}`);
      else ids.push(id);
    }
    return { selection: ids.length ? ({ ids } satisfies Selection) : null, count: ids.length };
  }
  const filter = {
    tags: flags.tag?.length ? flags.tag : undefined,
    status: flags.status,
    deleted: inTrash || undefined,
  };
  return { selection: { filter } satisfies Selection, count: countSubscriptions(ctx.db, appId, filter) };
}

function addSelectors(command: Command, verb: string): Command {
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

export function registerSubsTrashCommands(subs: Command, env: CommandEnv): void {
  addSelectors(subs.command('delete'), 'move to the trash')
    .description('move subscriptions to the trash (nothing is sent to them; restore brings them back)')
    .option('--yes', 'do it: without it, only count what would be moved')
    .action(async (flags: Selectors) => {
      await env.withContext((ctx) => {
        const app = getApp(ctx, flags.app);
        const { selection, count } = selectionOf(ctx, app.id, flags, false, env.output());
        if (!flags.yes) {
          unconfirmed(
            env,
            { deleted: 0, matching: count },
            `${plural(count)} of ${app.name} would go to the trash.`,
          );
        }
        const deleted = selection ? deleteSubscriptions(ctx, app.id, selection).count : 0;
        printData(
          env.output(),
          { deleted },
          () =>
            `Moved ${plural(deleted)} of ${app.name} to the trash (pushdeck subs restore brings them back).`,
        );
      });
    });

  addSelectors(subs.command('restore'), 'restore')
    .description('bring subscriptions back from the trash')
    .action(async (flags: Selectors) => {
      await env.withContext((ctx) => {
        const app = getApp(ctx, flags.app);
        const { selection } = selectionOf(ctx, app.id, flags, true, env.output());
        const restored = selection ? restoreSubscriptions(ctx, app.id, { selection }) : 0;
        printData(env.output(), { restored }, () => `Restored ${plural(restored)} of ${app.name}.`);
      });
    });

  subs
    .command('trash')
    .description('the trash of deleted subscriptions')
    .command('empty')
    .description('delete the subscriptions in the trash for good')
    .requiredOption('--app <name>', 'the app')
    .option('--yes', 'do it: without it, only count what is in the trash')
    .action(async (flags: { app: string; yes?: boolean }) => {
      await env.withContext((ctx) => {
        const app = getApp(ctx, flags.app);
        if (!flags.yes) {
          const count = countSubscriptions(ctx.db, app.id, { deleted: true });
          unconfirmed(
            env,
            { purged: 0, matching: count },
            `${plural(count)} of ${app.name} in the trash would be deleted for good.`,
          );
        }
        const purged = emptyTrash(ctx, app.id);
        printData(env.output(), { purged }, () => `Deleted ${plural(purged)} of ${app.name} for good.`);
      });
    });
}
