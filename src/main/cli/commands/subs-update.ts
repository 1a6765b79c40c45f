// `pushdeck subs update --app X --endpoint URL --timezone Asia/Kolkata|none`: changes one subscription's
// time zone (the detail drawer's field in the window), found by its endpoint or its id.
import { InvalidArgumentError } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import { offToNull, timeZoneArg } from '../flags.ts';
import { printData, table, usageError } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

interface UpdateFlags {
  app: string;
  endpoint?: string;
  id?: number;
  /** A zone, or OFF (none: the app's default). */
  timezone: string;
}

const idArg = (raw: string) => {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0)
    throw new InvalidArgumentError(`an id is a positive integer, not "${raw}"`);
  return id;
};

export function registerSubsUpdateCommand(subs: CliCommand, env: CommandEnv): void {
  subs
    .command('update')
    .description("change a subscription's time zone")
    .requiredOption('--app <name>', 'the app')
    .option('--endpoint <url>', 'the subscription, by its endpoint')
    .option('--id <n>', 'the subscription, by its id', idArg)
    .requiredOption(
      '--timezone <zone>',
      "an IANA zone (Europe/Berlin), or none for the app's default",
      timeZoneArg,
    )
    .action(async (flags: UpdateFlags) => {
      if ((flags.endpoint === undefined) === (flags.id === undefined))
        throw usageError('name the subscription with exactly one of --endpoint or --id');
      await env.withCore(async (call) => {
        const app = await call('apps.get', { app: flags.app });
        const id =
          flags.id ??
          (await call('subscriptions.findByEndpoint', { appId: app.id, endpoints: [flags.endpoint!] }))
            .ids[0];
        if (id === null || id === undefined)
          throw new PushdeckError(
            'SUBSCRIPTION_NOT_FOUND',
            `No subscription of ${app.name} has that endpoint.`,
          );
        const detail = await call('subscriptions.setTimeZone', {
          appId: app.id,
          id,
          timeZone: offToNull(flags.timezone),
        });
        const data = { id: detail.id, endpoint: detail.endpoint, timeZone: detail.timeZone };
        printData(env.output(), data, () =>
          table([
            ['Subscription', `${data.id} · ${data.endpoint}`],
            [
              'Time zone',
              data.timeZone ?? `none (the app's default: ${app.delivery.defaultTimeZone ?? 'UTC'})`,
            ],
          ]),
        );
      });
    });
}
