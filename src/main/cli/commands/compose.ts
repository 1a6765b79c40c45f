// `pushdeck template …` and `pushdeck segment …`: saved messages and saved audiences, through the same core
// as the composer. Also the flag parsing that `pushdeck send --template/--segment/--var/--check` reuses.
import fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  audienceFilterSchema,
  messageSpecSchema,
  pushServices,
  type AudienceFilter,
  type ComposeRequest,
  type Finding,
  type MessageSpec,
  type PayloadFormat,
} from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../../core/apps/apps.ts';
import { countAudience } from '../../core/compose/audience.ts';
import { blocks } from '../../core/compose/checker.ts';
import { checkBeforeSend } from '../../core/compose/preview.ts';
import {
  deleteSegment,
  findSegment,
  listSegments,
  resolveSegment,
  saveSegment,
} from '../../core/compose/segments.ts';
import type { CoreContext } from '../../core/context.ts';
import {
  deleteTemplate,
  findTemplate,
  listTemplates,
  resolveTemplate,
  saveTemplate,
} from '../../core/compose/templates.ts';
import { printData, table, type Output, usageError } from '../output.ts';
import { collect } from '../flags.ts';
import type { CommandEnv } from '../program.ts';

/** `--var key=value` (repeatable) → the message's placeholder defaults. */
export function parseVars(pairs: readonly string[] | undefined): Record<string, string> {
  const vars = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1)
      throw new PushdeckError(
        'VAR_INVALID',
        `--var takes key=value, e.g. --var first_name=there (got "${pair}").`,
      );
    vars.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  // fromEntries defines own properties: `--var __proto__=x` is a var, not a new prototype.
  return Object.fromEntries(vars);
}

/** A message with extra placeholder defaults; the given vars win over the ones saved with it. */
export function withVars(message: MessageSpec, vars: Record<string, string>): MessageSpec {
  return Object.keys(vars).length ? { ...message, vars: { ...message.vars, ...vars } } : message;
}

/** Prints the pre-send checker's findings, blocking ones first; true when any blocks sending. */
export function printFindings(out: Output, findings: readonly Finding[]): boolean {
  const write = out.json ? out.stderr : out.stdout;
  if (findings.length === 0) write('Checks passed: nothing to fix.');
  for (const f of findings)
    write(`${f.severity.toUpperCase().padEnd(5)} ${f.code}: ${f.message}\n      fix: ${f.fix}`);
  return findings.some((f) => f.severity === 'block');
}

/** The compose flags of `pushdeck send`: --template, --segment, --var and --check. */
export interface ComposeSendFlags {
  template?: string;
  segment?: string;
  var?: string[];
  check?: boolean;
  all?: boolean;
  tag?: string[];
  endpoint?: string[];
  title?: string;
  payload?: string | false;
  payloadFile?: string;
}

/**
 * For `pushdeck send`: the message and audience after --template, --segment and --var. `given` holds what
 * the other flags built (ignored where a template or segment replaces it).
 */
export function composeForSend(
  ctx: CoreContext,
  env: CommandEnv,
  appId: number,
  flags: ComposeSendFlags,
  given: { message: MessageSpec; audience: AudienceFilter },
): { message: MessageSpec; audience: AudienceFilter } {
  if (flags.segment && (flags.all || flags.tag?.length || flags.endpoint?.length)) {
    throw usageError('--segment replaces --all, --tag and --endpoint: give only one of them');
  }
  if (
    flags.template &&
    (flags.title !== undefined || flags.payload !== undefined || flags.payloadFile !== undefined)
  ) {
    throw usageError(
      '--template replaces --title, --payload, --payload-file and --no-payload: give only one of them',
    );
  }
  const message = flags.template ? resolveTemplate(ctx, appId, flags.template) : given.message;
  const audience = flags.segment ? resolveSegment(ctx, appId, flags.segment) : given.audience;
  return { message: withVars(message, parseVars(flags.var)), audience };
}

/** `pushdeck send --check`: prints the pre-send checker's findings; throws (exit 1) when any blocks. */
export function checkForSend(ctx: CoreContext, env: CommandEnv, request: ComposeRequest): void {
  const out = env.output();
  const findings = checkBeforeSend(ctx, request);
  if (out.json) out.stdout(JSON.stringify({ findings, blocked: blocks(findings) }, null, 2));
  if (printFindings(out, findings)) {
    const count = findings.filter((f) => f.severity === 'block').length;
    throw new PushdeckError('CHECK_BLOCKED', `${count} problem(s) block sending; nothing was sent.`);
  }
}

interface MessageFlags {
  title?: string;
  body?: string;
  url?: string;
  icon?: string;
  image?: string;
  badge?: string;
  notificationTag?: string;
  format?: PayloadFormat;
  payload?: string | false;
  payloadFile?: string;
  messageFile?: string;
  var?: string[];
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new PushdeckError(
      'FILE_UNREADABLE',
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
}

function messageFromFlags(env: CommandEnv, opts: MessageFlags): MessageSpec {
  let message: MessageSpec;
  if (opts.messageFile) {
    const parsed = messageSpecSchema.safeParse(JSON.parse(readFile(opts.messageFile)));
    if (!parsed.success)
      throw usageError(`--message-file is not a Pushdeck message: ${parsed.error.issues[0]?.message}`);
    message = parsed.data;
  } else if (opts.payload === false) {
    message = { format: 'none' };
  } else if (typeof opts.payload === 'string' || opts.payloadFile) {
    message = {
      format: 'raw',
      raw: opts.payloadFile ? readFile(opts.payloadFile) : (opts.payload as string),
    };
  } else if (opts.title !== undefined) {
    const format = opts.format ?? 'notification';
    if (format !== 'notification' && format !== 'declarative')
      throw usageError('--title goes with --format notification or declarative');
    message = {
      format,
      notification: {
        title: opts.title,
        body: opts.body,
        url: opts.url,
        icon: opts.icon,
        image: opts.image,
        badge: opts.badge,
        tag: opts.notificationTag,
      },
    };
  } else {
    throw usageError(
      'give the message: --title T [--body B …], --payload STRING, --payload-file F, --no-payload or --message-file F',
    );
  }
  return withVars(message, parseVars(opts.var));
}

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

function parseDate(env: CommandEnv, flag: string, value: string | undefined): number | undefined {
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

function filterFromFlags(env: CommandEnv, opts: SegmentFlags): AudienceFilter {
  const filter = {
    tagsAny: opts.tag,
    tagsAll: opts.allTags,
    tagsNone: opts.withoutTag,
    pushServices: opts.service,
    createdFrom: parseDate(env, '--created-from', opts.createdFrom),
    createdTo: parseDate(env, '--created-before', opts.createdBefore),
    lastSuccessFrom: parseDate(env, '--reached-from', opts.reachedFrom),
    lastSuccessTo: parseDate(env, '--reached-before', opts.reachedBefore),
    testDevices: opts.testDevices || undefined,
  };
  return audienceFilterSchema.parse(
    Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
  );
}

export function registerComposeCommands(program: Command, env: CommandEnv): void {
  const template = program.command('template').description('templates: saved messages of an app');

  template
    .command('list')
    .description("list an app's templates")
    .requiredOption('--app <name>', 'the app')
    .action(async (opts: { app: string }) => {
      await env.withContext((ctx) => {
        const templates = listTemplates(ctx, getApp(ctx, opts.app).id);
        printData(env.output(), templates, () =>
          templates.length === 0
            ? 'No templates yet. Save one: pushdeck template save NAME --app APP --title "…"'
            : templates.map((t) => `${t.name}  ${t.format}  ${t.title ?? ''}`.trimEnd()).join('\n'),
        );
      });
    });

  template
    .command('show')
    .description('print a template’s message as JSON (usable with --message-file)')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .action(async (name: string, opts: { app: string }) => {
      await env.withContext((ctx) => {
        const message = resolveTemplate(ctx, getApp(ctx, opts.app).id, name);
        env.output().stdout(JSON.stringify(message, null, 2));
      });
    });

  template
    .command('save')
    .description('save a message as a template (replaces one of the same name with --force)')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .option('--title <text>', 'notification title ({{field}} and {{field|default}} allowed)')
    .option('--body <text>', 'notification body')
    .option('--url <url>', 'URL opened on click')
    .option('--icon <url>', 'icon URL')
    .option('--image <url>', 'image URL')
    .option('--badge <url>', 'badge URL')
    .option('--notification-tag <tag>', 'notification tag (replaces an earlier one with the same tag)')
    .addOption(
      new Option('--format <format>', 'payload format for --title').choices(['notification', 'declarative']),
    )
    .option('--payload <text>', 'raw text or JSON payload')
    .option('--payload-file <file>', 'raw payload from a file (- for stdin)')
    .option('--no-payload', 'a push without payload')
    .option('--message-file <file>', 'the whole message as JSON (as template show prints it)')
    .option('--var <key=value>', 'default for a placeholder (repeatable)', collect)
    .option('--force', 'replace a template of the same name')
    .action(async (name: string, opts: MessageFlags & { app: string; force?: boolean }) => {
      await env.withContext((ctx) => {
        const appId = getApp(ctx, opts.app).id;
        const saved = saveTemplate(ctx, {
          appId,
          name,
          message: messageFromFlags(env, opts),
          overwrite: opts.force,
        });
        printData(env.output(), saved, () => `Saved template ${saved.name} (${saved.format}).`);
      });
    });

  template
    .command('delete')
    .description('delete a template')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .action(async (name: string, opts: { app: string }) => {
      await env.withContext((ctx) => {
        const found = findTemplate(ctx, getApp(ctx, opts.app).id, name);
        if (!found)
          throw new PushdeckError('TEMPLATE_NOT_FOUND', `No template named "${name}" in ${opts.app}.`);
        deleteTemplate(ctx, found.id);
        printData(env.output(), { deleted: found.name }, () => `Deleted template ${found.name}.`);
      });
    });

  const segment = program.command('segment').description('segments: saved audiences of an app');

  segment
    .command('list')
    .description("list an app's segments with their current recipient count")
    .requiredOption('--app <name>', 'the app')
    .action(async (opts: { app: string }) => {
      await env.withContext((ctx) => {
        const appId = getApp(ctx, opts.app).id;
        const segments = listSegments(ctx, appId).map((s) => ({
          ...s,
          recipients: countAudience(ctx, appId, s.filter).recipients,
        }));
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
    .action(async (name: string, opts: SegmentFlags & { app: string; force?: boolean }) => {
      await env.withContext((ctx) => {
        const appId = getApp(ctx, opts.app).id;
        const saved = saveSegment(ctx, {
          appId,
          name,
          filter: filterFromFlags(env, opts),
          overwrite: opts.force,
        });
        const recipients = countAudience(ctx, appId, saved.filter).recipients;
        printData(
          env.output(),
          { ...saved, recipients },
          () =>
            `Saved segment ${saved.name}: ${recipients.toLocaleString('en')} recipients now (${filterSummary(saved.filter)}).`,
        );
      });
    });

  segment
    .command('delete')
    .description('delete a segment')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .action(async (name: string, opts: { app: string }) => {
      await env.withContext((ctx) => {
        const found = findSegment(ctx, getApp(ctx, opts.app).id, name);
        if (!found)
          throw new PushdeckError('SEGMENT_NOT_FOUND', `No segment named "${name}" in ${opts.app}.`);
        deleteSegment(ctx, found.id);
        printData(env.output(), { deleted: found.name }, () => `Deleted segment ${found.name}.`);
      });
    });
}
