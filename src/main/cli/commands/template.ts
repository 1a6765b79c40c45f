// `pushdeck template list|show|save|delete`: saved messages of an app, through the same channels as the
// composer's template menu. Also the lookup by name that `pushdeck send --template NAME` uses.
import { Option } from 'commander';
import { messageSpecSchema, type MessageSpec, type PayloadFormat } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { collect, notificationFromFlags, readFileArg, type NotificationFlags } from '../flags.ts';
import { printData, usageError } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';
import { parseVars, withVars } from './send-compose.ts';

interface MessageFlags extends NotificationFlags {
  format?: PayloadFormat;
  payload?: string | false;
  payloadFile?: string;
  messageFile?: string;
  var?: string[];
}

function messageFromFlags(opts: MessageFlags): MessageSpec {
  let message: MessageSpec;
  if (opts.messageFile) {
    const parsed = messageSpecSchema.safeParse(JSON.parse(readFileArg(opts.messageFile)));
    if (!parsed.success)
      throw usageError(`--message-file is not a Pushdeck message: ${parsed.error.issues[0]?.message}`);
    message = parsed.data;
  } else if (opts.payload === false) {
    message = { format: 'none' };
  } else if (typeof opts.payload === 'string' || opts.payloadFile) {
    message = {
      format: 'raw',
      raw: opts.payloadFile ? readFileArg(opts.payloadFile) : (opts.payload as string),
    };
  } else if (opts.title !== undefined) {
    const format = opts.format ?? 'notification';
    if (format !== 'notification' && format !== 'declarative')
      throw usageError('--title goes with --format notification or declarative');
    message = { format, notification: notificationFromFlags(opts, opts.title) };
  } else {
    throw usageError(
      'give the message: --title T [--body B …], --payload STRING, --payload-file F, --no-payload or --message-file F',
    );
  }
  return withVars(message, parseVars(opts.var));
}

export function registerTemplateCommands(program: CliCommand, env: CommandEnv): void {
  const template = program.command('template').description('templates: saved messages of an app');

  template
    .command('list')
    .description("list an app's templates")
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, opts: { app: string }) => {
      const templates = await call('templates.list', {
        appId: (await call('apps.get', { app: opts.app })).id,
      });
      printData(env.output(), templates, () =>
        templates.length === 0
          ? 'No templates yet. Save one: pushdeck template save NAME --app APP --title "…"'
          : templates.map((t) => `${t.name}  ${t.format}  ${t.title ?? ''}`.trimEnd()).join('\n'),
      );
    });

  template
    .command('show')
    .description('print a template’s message as JSON (usable with --message-file)')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, name: string, opts: { app: string }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      const message = await call('templates.resolve', { appId, name });
      env.output().stdout(JSON.stringify(message, null, 2));
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
    .coreAction(env, async (call, name: string, opts: MessageFlags & { app: string; force?: boolean }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      const message = messageFromFlags(opts);
      const saved = await call('templates.save', { appId, name, message, overwrite: opts.force });
      printData(env.output(), saved, () => `Saved template ${saved.name} (${saved.format}).`);
    });

  template
    .command('delete')
    .description('delete a template')
    .argument('<name>')
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, name: string, opts: { app: string }) => {
      const { id: appId } = await call('apps.get', { app: opts.app });
      // As typed: surrounding spaces do not count.
      const found = (await call('templates.list', { appId })).find((t) => t.name === name.trim());
      if (!found)
        throw new PushdeckError('TEMPLATE_NOT_FOUND', `No template named "${name}" in ${opts.app}.`);
      await call('templates.delete', { id: found.id });
      printData(env.output(), { deleted: found.name }, () => `Deleted template ${found.name}.`);
    });
}
