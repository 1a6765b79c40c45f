// `pushdeck segment list|save|delete`: saved audiences of an app, through the same channels as the
// composer's audience builder. Also the lookup by name that `pushdeck send --segment NAME` uses.
import { InvalidArgumentError } from 'commander';
import { audienceFilterSchema, pushServices, type AudienceFilter } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { collect } from '../flags.ts';
import { printData, table, usageError } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

function filterSummary(filter: AudienceFilter): string {
  const parts: string[] = [];
  if (filter.testDevices) parts.push('test devices');
  if (filter.tagsAny?.length) parts.push(`any of ${filter.tagsAny.join(', ')}`);
  if (filter.tagsAll?.length) parts.push(`all of ${filter.tagsAll.join(', ')}`);
  if (filter.tagsNone?.length) parts.push(`none of ${filter.tagsNone.join(', ')}`);
  if (filter.pushServices?.length) parts.push(`services ${filter.pushServices.join(', ')}`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (filter.createdFrom !== undefined) parts.push(`created from ${day(filter.createdFrom)}`);
  if (filter.createdTo !== undefined) parts.push(`created before ${day(filter.createdTo)}`);
  if (filter.lastSuccessFrom !== undefined) parts.push(`reached from ${day(filter.lastSuccessFrom)}`);
  if (filter.lastSuccessTo !== undefined) parts.push(`reached before ${day(filter.lastSuccessTo)}`);
  if (filter.subscriptionIds?.length) parts.push(`${filter.subscriptionIds.length} chosen subscription(s)`);
  if (filter.endpoints?.length) parts.push(`${filter.endpoints.length} endpoint(s)`);
  return parts.join('; ') || 'all active subscriptions';
}

function parseDate(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw usageError(`${flag} takes a date like 2026-01-31 or 2026-01-31T12:00:00Z (got "${value}")`);
  return ms;
}

interface SegmentFlags {
  tag?: string[];
  allTags?: string[];
  withoutTag?: string[];
  service?: string[];
  createdFrom?: string;
  createdBefore?: string;
  reachedFrom?: string;
  reachedBefore?: string;
  testDevices?: boolean;
}

function filterFromFlags(opts: SegmentFlags): AudienceFilter {
  const filter = {
    tagsAny: opts.tag,
    tagsAll: opts.allTags,
    tagsNone: opts.withoutTag,
    pushServices: opts.service,
    createdFrom: parseDate('--created-from', opts.createdFrom),
    createdTo: parseDate('--created-before', opts.createdBefore),
    lastSuccessFrom: parseDate('--reached-from', opts.reachedFrom),
    lastSuccessTo: parseDate('--reached-before', opts.reachedBefore),
    testDevices: opts.testDevices || undefined,
  };
  return audienceFilterSchema.parse(
    Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
  );
}

export function registerSegmentCommands(program: CliCommand, env: CommandEnv): void {
  const segment = program.command('segment').description('segments: saved audiences of an app');

  segment
    .command('list')
    .description("list an app's segments with their current recipient count")
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, opts: { app: string }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      const count = async (audience: AudienceFilter) =>
        (await call('compose.count', { appId, audience })).recipients;
      const segments = await Promise.all(
        (await call('segments.list', { appId })).map(async (s) => ({
          ...s,
          recipients: await count(s.filter),
        })),
      );
      printData(env.output(), segments, () =>
        segments.length === 0
          ? 'No segments yet. Save one: pushdeck segment save NAME --app APP --tag vip'
          : table(
              segments.map((s) => [
                s.name,
                `${s.recipients.toLocaleString('en')} recipients  (${filterSummary(s.filter)})`,
              ]),
            ),
      );
    });

  segment
    .command('save')
    .description('save an audience filter as a segment (replaces one of the same name with --force)')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .option('--tag <tag>', 'has any of these tags (repeatable)', collect)
    .option('--all-tags <tag>', 'has all of these tags (repeatable)', collect)
    .option('--without-tag <tag>', 'has none of these tags (repeatable)', collect)
    .option(
      '--service <service>',
      `push service: ${pushServices.join(', ')} (repeatable)`,
      (value: string, previous: string[] = []) => {
        if (!(pushServices as readonly string[]).includes(value)) {
          throw new InvalidArgumentError(`Allowed choices are ${pushServices.join(', ')}.`);
        }
        return [...previous, value];
      },
    )
    .option('--created-from <date>', 'subscribed on or after this date')
    .option('--created-before <date>', 'subscribed before this date')
    .option('--reached-from <date>', 'last delivered on or after this date')
    .option('--reached-before <date>', 'last delivered before this date')
    .option('--test-devices', `only the test devices (tag "test-device")`)
    .option('--force', 'replace a segment of the same name')
    .coreAction(env, async (call, name: string, opts: SegmentFlags & { app: string; force?: boolean }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      const filter = filterFromFlags(opts);
      const saved = await call('segments.save', { appId, name, filter, overwrite: opts.force });
      const { recipients } = await call('compose.count', { appId, audience: saved.filter });
      printData(
        env.output(),
        { ...saved, recipients },
        () =>
          `Saved segment ${saved.name}: ${recipients.toLocaleString('en')} recipients now (${filterSummary(saved.filter)}).`,
      );
    });

  segment
    .command('delete')
    .description('delete a segment')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, name: string, opts: { app: string }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      // As typed: surrounding spaces do not count.
      const found = (await call('segments.list', { appId })).find((s) => s.name === name.trim());
      if (!found) throw new PushdeckError('SEGMENT_NOT_FOUND', `No segment named "${name}" in ${opts.app}.`);
      await call('segments.delete', { id: found.id });
      printData(env.output(), { deleted: found.name }, () => `Deleted segment ${found.name}.`);
    });
}
