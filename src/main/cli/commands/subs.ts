// `pushdeck subs …`: import, export, list and count an app's subscriptions.
import { Option } from 'commander';
import path from 'node:path';
import {
  importFormats,
  subscriptionStatuses,
  type ImportFormat,
  type SubscriptionFilter,
  type SubscriptionStatus,
} from '../../../shared/subscriptions.ts';
import { printData, table } from '../output.ts';
import { collect, integer } from '../flags.ts';
import { stderrLine } from './campaign-follow.ts';
import { registerSubsTrashCommands } from './subs-trash.ts';
import { registerSubsUpdateCommand } from './subs-update.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

function formatFromName(file: string): ImportFormat | undefined {
  const ext = path.extname(file).toLowerCase().slice(1);
  if (ext === 'jsonl') return 'ndjson';
  return (importFormats as readonly string[]).includes(ext) ? (ext as ImportFormat) : undefined;
}

function filterOf(options: {
  tag?: string[];
  status?: SubscriptionStatus;
  timezone?: string[];
}): SubscriptionFilter {
  return {
    tags: options.tag?.length ? options.tag : undefined,
    status: options.status,
    // 'none': subscriptions without a zone of their own (the app's default applies).
    timeZones: options.timezone?.map((zone) => (zone === 'none' ? null : zone)),
  };
}

const zoneOption = () =>
  new Option('--timezone <zone>', 'only subscriptions in this IANA zone, or none (repeatable)').argParser(
    collect,
  );

const formatOption = () =>
  new Option('--format <format>', 'file format (default: from the content or name)').choices(importFormats);
const statusOption = () =>
  new Option('--status <status>', 'only active or only expired').choices(subscriptionStatuses);

export function registerSubsCommands(program: CliCommand, env: CommandEnv): void {
  const subs = program.command('subs').description('import, export, list, count and delete subscriptions');

  subs
    .command('import <file>')
    .description('import a JSON array, NDJSON or CSV list of subscriptions into an app')
    .requiredOption('--app <name>', 'the app the subscriptions belong to')
    .addOption(formatOption())
    .option('--tag <tag>', 'add this tag to every imported subscription (repeatable)', collect)
    .option('--rejects <file>', 'write the rejected rows (row, reason, endpoint) to this CSV file')
    .action(
      async (
        file: string,
        options: { app: string; format?: ImportFormat; tag?: string[]; rejects?: string },
      ) => {
        const out = env.output();
        await env.withCore(async (call, on) => {
          const app = await call('apps.get', { app: options.app });
          const line = stderrLine(out, 500, 500);
          const stopListening = on('subscriptions.import.progress', (progress) => {
            const percent = progress.totalBytes
              ? Math.floor((100 * progress.bytes) / progress.totalBytes)
              : 0;
            line.show(
              `importing: ${percent}% · ${progress.rows.toLocaleString('en')} rows · ${progress.inserted} new · ${progress.updated} updated · ${progress.duplicates} duplicates · ${progress.rejected} rejected`,
            );
          });
          // subscriptions.importPath is the pushdeck command's own: the window names its files by token only.
          const summary = await call('subscriptions.importPath', {
            appId: app.id,
            path: path.resolve(file),
            ...(options.format ? { format: options.format } : {}),
            ...(options.tag ? { tags: options.tag } : {}),
            ...(options.rejects ? { rejectsPath: path.resolve(options.rejects) } : {}),
          }).finally(stopListening);
          line.end();
          const data = {
            inserted: summary.inserted,
            updated: summary.updated,
            duplicates: summary.duplicates,
            rejected: summary.rejected,
            rejects: summary.rejects,
            format: summary.format,
            notice: summary.notice,
            timeZones: summary.timeZones,
          };
          printData(out, data, () => {
            const reasons = Object.entries(summary.rejectsByReason).map(
              ([reason, n]) => [`  ${reason}`, String(n)] as const,
            );
            return table([
              ['Format', summary.format],
              ['Rows read', String(summary.rows)],
              ['Inserted', String(summary.inserted)],
              ['Updated', String(summary.updated)],
              ['Duplicates', String(summary.duplicates)],
              ['Rejected', String(summary.rejected)],
              ...reasons,
              [
                'Time zones',
                `${summary.timeZones.set} set, ${summary.timeZones.notices} not understood (imported without one)`,
              ],
              ...Object.entries(summary.timeZones.byReason).map(
                ([reason, n]) => [`  ${reason}`, String(n)] as const,
              ),
              ...(summary.notice ? [['Note', summary.notice] as const] : []),
              ...(options.rejects && summary.rejected > 0
                ? [['Rejects file', path.resolve(options.rejects)] as const]
                : []),
            ]);
          });
          if (summary.notice && !out.json) out.stderr(`pushdeck: ${summary.notice}`);
        });
      },
    );

  subs
    .command('export <file>')
    .description('export an app’s subscriptions (or a filtered part) to JSON, NDJSON or CSV')
    .requiredOption('--app <name>', 'the app')
    .addOption(formatOption())
    .option('--tag <tag>', 'only subscriptions with this tag (repeatable: any of them)', collect)
    .addOption(statusOption())
    .coreAction(
      env,
      async (
        call,
        file: string,
        options: { app: string; format?: ImportFormat; tag?: string[]; status?: SubscriptionStatus },
      ) => {
        const out = env.output();
        const app = await call('apps.get', { app: options.app });
        const format = options.format ?? formatFromName(file) ?? 'json';
        const target = path.resolve(file);
        const { count } = await call('subscriptions.exportPath', {
          appId: app.id,
          filter: filterOf(options),
          format,
          path: target,
        });
        printData(
          out,
          { count, path: target, format },
          () => `Exported ${count} subscriptions to ${target} (${format}).`,
        );
      },
    );

  subs
    .command('list')
    .description('list an app’s subscriptions, newest first')
    .requiredOption('--app <name>', 'the app')
    .option('--tag <tag>', 'only subscriptions with this tag (repeatable: any of them)', collect)
    .addOption(statusOption())
    .addOption(zoneOption())
    .option('--limit <n>', 'at most this many (default 100)', integer(1, 100_000))
    .coreAction(
      env,
      async (
        call,
        options: {
          app: string;
          tag?: string[];
          status?: SubscriptionStatus;
          timezone?: string[];
          limit?: number;
        },
      ) => {
        const out = env.output();
        const app = await call('apps.get', { app: options.app });
        const { rows } = await call('subscriptions.page', {
          appId: app.id,
          filter: filterOf(options),
          sort: 'newest',
          page: 0,
          limit: options.limit ?? 100,
        });
        const data = rows.map((row) => ({
          endpoint: row.endpoint,
          status: row.status,
          tags: row.tags,
          pushService: row.pushService,
          label: row.label,
          timeZone: row.timeZone,
        }));
        printData(out, data, () =>
          data.length === 0
            ? 'No subscriptions.'
            : data
                .map((row) =>
                  [
                    row.status.padEnd(7),
                    row.pushService.padEnd(7),
                    row.endpoint,
                    row.label ?? '',
                    row.tags.join(';'),
                    row.timeZone ?? '',
                  ]
                    .join('  ')
                    .trimEnd(),
                )
                .join('\n'),
        );
      },
    );

  subs
    .command('count')
    .description('count an app’s subscriptions')
    .requiredOption('--app <name>', 'the app')
    .option('--tag <tag>', 'only subscriptions with this tag (repeatable: any of them)', collect)
    .addOption(statusOption())
    .addOption(zoneOption())
    .coreAction(
      env,
      async (
        call,
        options: { app: string; tag?: string[]; status?: SubscriptionStatus; timezone?: string[] },
      ) => {
        const out = env.output();
        const app = await call('apps.get', { app: options.app });
        const { count } = await call('subscriptions.count', { appId: app.id, filter: filterOf(options) });
        printData(out, { count }, () => String(count));
      },
    );

  registerSubsTrashCommands(subs, env);
  registerSubsUpdateCommand(subs, env);
}
