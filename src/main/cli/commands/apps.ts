// `pushdeck app …` and `pushdeck keys …`: apps and their VAPID keys, through the same core as the app.
import path from 'node:path';
import { Option } from 'commander';
import type { AppSummary } from '../../../shared/apps.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { readFileArg } from '../flags.ts';
import { printData, table, usageError } from '../output.ts';
import { deliveryOptions, deliveryRows, deliveryUpdateOf, type DeliveryFlags } from './app-delivery.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

function protectionLabel(app: AppSummary): string {
  if (!app.protection) return 'no key';
  return app.protectedAtRest ? app.protection : `${app.protection} (UNPROTECTED)`;
}

function appTable(app: AppSummary): string {
  return table([
    ['App', app.name],
    ['Subject', app.subject],
    ['Public key', app.publicKey ?? '(none)'],
    ['Fingerprint', app.fingerprint ?? '(none)'],
    ['Protection', protectionLabel(app)],
    ['Retired keys', String(app.retiredKeys)],
    ...deliveryRows(app),
  ]);
}

export function registerAppCommands(program: CliCommand, env: CommandEnv): void {
  const app = program.command('app').description('apps: one website each, with its VAPID key pair');

  app
    .command('create')
    .description('create an app and generate its VAPID key pair')
    .argument('<name>', 'the app name, e.g. example.com')
    .requiredOption('--subject <subject>', 'contact for push services: mailto:you@example.com or https://…')
    .coreAction(env, async (call, name: string, opts: { subject: string }) => {
      const created = await call('apps.create', { name, subject: opts.subject });
      printData(env.output(), created, () => appTable(created));
    });

  app
    .command('list')
    .description('list apps with their current public key and how it is protected')
    .coreAction(env, async (call) => {
      const apps = await call('apps.list', {});
      printData(env.output(), apps, () =>
        apps.length === 0
          ? 'No apps yet. Create one: pushdeck app create example.com --subject mailto:you@example.com'
          : apps
              .map((a) => `${a.name}  ${a.fingerprint ?? '(no key)'}  ${protectionLabel(a)}  ${a.subject}`)
              .join('\n'),
      );
    });

  const update = app
    .command('update')
    .description("change an app's VAPID subject, default time zone, quiet hours or frequency cap")
    .argument('<name>')
    .option('--subject <subject>', 'mailto: or https: contact');
  for (const option of deliveryOptions()) update.addOption(option);
  update.coreAction(env, async (call, name: string, opts: DeliveryFlags & { subject?: string }) => {
    const found = await call('apps.get', { app: name });
    const delivery = deliveryUpdateOf(found.id, opts);
    if (opts.subject === undefined && !delivery) {
      throw usageError(
        'say what to change: --subject, --quiet-hours, --frequency-cap, --default-timezone or --alerts-quiet-hours',
      );
    }
    let updated =
      opts.subject === undefined
        ? found
        : await call('apps.setSubject', { appId: found.id, subject: opts.subject });
    if (delivery) updated = await call('apps.setDelivery', delivery);
    printData(env.output(), updated, () => appTable(updated));
  });

  app
    .command('delete')
    .description('delete an app with its keys and subscribers (needs --yes)')
    .argument('<name>')
    .option('--yes', 'really delete')
    .coreAction(env, async (call, name: string, opts: { yes?: boolean }) => {
      const found = await call('apps.get', { app: name });
      if (!opts.yes) {
        throw new PushdeckError(
          'CONFIRMATION_REQUIRED',
          `Deleting ${found.name} deletes its keys and subscribers for good: run again with --yes.`,
        );
      }
      const result = await call('apps.delete', { appId: found.id, confirmName: found.name });
      printData(env.output(), result, () => `Deleted ${result.deleted}.`);
    });

  app
    .command('snippet')
    .description("print the service worker (sw.js) and the subscribe code with the app's key, for your site")
    .requiredOption('--app <name>', 'the app')
    .option('--sw', 'only the service worker')
    .option('--subscribe', 'only the subscribe code')
    .action(async (opts: { app: string; sw?: boolean; subscribe?: boolean }) => {
      if (opts.sw && opts.subscribe) throw usageError('--sw or --subscribe, not both');
      await env.withCore(async (call) => {
        const { id: appId } = await call('apps.get', { app: opts.app });
        const snippets = await call('apps.snippet', { appId });
        const { serviceWorker, subscribe } = snippets;
        const data = opts.sw ? { serviceWorker } : opts.subscribe ? { subscribe } : snippets;
        printData(env.output(), data, () => Object.values(data).join('\n').trimEnd());
      });
    });

  const keys = program
    .command('keys')
    .description("an app's VAPID keys: show, import, export, rotate, change the passphrase");

  keys
    .command('show')
    .description("show an app's public key, subject and how its private key is protected")
    .requiredOption('--app <name>', 'the app')
    .coreAction(env, async (call, opts: { app: string }) => {
      const found = await call('apps.get', { app: opts.app });
      const data = {
        app: found.name,
        publicKey: found.publicKey,
        subject: found.subject,
        protection: found.protection,
        protectedAtRest: found.protectedAtRest,
        fingerprint: found.fingerprint,
        createdAt: found.keyCreatedAt ?? found.createdAt,
      };
      printData(env.output(), data, () => appTable(found));
    });

  keys
    .command('import')
    .description('import a key pair (creates the app if missing); prefer --env-file: flags show up in ps')
    .requiredOption('--app <name>', 'the app')
    .option('--public <key>', 'the public key (base64url)')
    .option('--private <key>', 'the private key (base64url)')
    .option(
      '--env-file <file>',
      'a .env file with VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY[/VAPID_SUBJECT], or web-push JSON',
    )
    // Node itself also reads a --env-file flag anywhere on the command line (and exits 9 when the file is
    // missing, or for "-"): --key-file is the same option without that, and takes - for stdin.
    .option('--key-file <file>', 'the same as --env-file; - reads stdin')
    .option(
      '--subject <subject>',
      'mailto: or https: contact (required for a new app unless the file has one)',
    )
    .option('--yes', "replace an existing app's key even though it orphans subscriptions")
    .action(
      async (opts: {
        app: string;
        public?: string;
        private?: string;
        envFile?: string;
        keyFile?: string;
        subject?: string;
        yes?: boolean;
      }) => {
        const pairGiven = opts.public !== undefined || opts.private !== undefined;
        if (opts.envFile !== undefined && opts.keyFile !== undefined)
          throw usageError('--env-file or --key-file, not both');
        const file = opts.envFile ?? opts.keyFile;
        if (pairGiven === (file !== undefined))
          throw usageError('give either --public and --private, or --env-file');
        if (pairGiven && (!opts.public || !opts.private))
          throw usageError('--public and --private go together');
        const text = file ? readFileArg(file) : undefined;
        await env.withCore(async (call) => {
          const existing = (await call('apps.list', {})).find((a) => a.name === opts.app.trim());
          const confirmOrphaned =
            opts.yes && existing
              ? (await call('keys.rotationPreview', { appId: existing.id })).orphaned
              : undefined;
          const result = await call('keys.import', {
            app: opts.app,
            publicKey: opts.public,
            privateKey: opts.private,
            text,
            subject: opts.subject,
            confirmOrphaned,
          });
          printData(env.output(), result, () =>
            [
              result.created
                ? `Created ${result.app.name} with the imported key.`
                : `Imported the key into ${result.app.name}.`,
              ...(result.orphaned > 0 ? [`${result.orphaned} subscriptions stay on the previous key.`] : []),
              appTable(result.app),
            ].join('\n'),
          );
        });
      },
    );

  keys
    .command('export')
    .description("print an app's public key, or with --private the whole pair")
    .requiredOption('--app <name>', 'the app')
    .option('--private', 'include the private key (keep the output secret)')
    .addOption(new Option('--format <format>', 'output format').choices(['env', 'json']))
    .option('--out <file>', 'write to this file (mode 600) instead of stdout')
    .action(async (opts: { app: string; private?: boolean; format?: 'env' | 'json'; out?: string }) => {
      const out = env.output();
      const format = opts.format ?? (out.json ? 'json' : 'env');
      await env.withCore(async (call) => {
        // keys.exportText is the pushdeck command's own channel: the window cannot ask it for the pair.
        const { text } = await call('keys.exportText', {
          app: opts.app,
          part: opts.private ? 'private' : 'public',
          format,
          ...(opts.out ? { out: path.resolve(opts.out) } : {}),
        });
        if (opts.out) {
          out.stderr(`Wrote ${opts.private ? 'the key pair' : 'the public key'} to ${opts.out}.`);
        } else {
          out.stdout((text ?? '').replace(/\n$/, ''));
        }
      });
    });

  keys
    .command('rotate')
    .description("replace an app's key; says how many subscriptions it orphans, and needs --yes")
    .requiredOption('--app <name>', 'the app')
    .option('--yes', 'rotate even though subscriptions are orphaned')
    .coreAction(env, async (call, opts: { app: string; yes?: boolean }) => {
      const out = env.output();
      const { id: appId } = await call('apps.get', { app: opts.app });
      const preview = await call('keys.rotationPreview', { appId });
      if (!opts.yes) {
        printData(out, preview, () =>
          table([
            ['App', preview.app],
            ['Current key', preview.currentFingerprint ?? '(none)'],
            [
              'Orphaned',
              `${preview.orphaned} active subscriptions (${preview.onRetiredKeys} already on older keys)`,
            ],
          ]),
        );
        throw new PushdeckError(
          'CONFIRMATION_REQUIRED',
          `Rotating the key of ${preview.app} orphans ${preview.orphaned} active subscriptions (they stay sendable with the old key until they re-subscribe): run again with --yes.`,
        );
      }
      const result = await call('keys.rotate', {
        appId: preview.appId,
        confirmOrphaned: preview.orphaned,
      });
      printData(out, result, () =>
        [
          `Rotated the key of ${result.app.name}: ${result.retiredFingerprint ?? '(none)'} → ${result.app.fingerprint}.`,
          `${result.orphaned} active subscriptions stay on the old key until they re-subscribe with the new one.`,
          appTable(result.app),
        ].join('\n'),
      );
    });

  keys
    .command('passphrase')
    .description(
      're-seal every passphrase-protected key with a new passphrase: the current one in PUSHDECK_PASSPHRASE, the new one in PUSHDECK_NEW_PASSPHRASE',
    )
    .action(async () => {
      const out = env.output();
      const current = env.io.env.PUSHDECK_PASSPHRASE;
      const next = env.io.env.PUSHDECK_NEW_PASSPHRASE;
      // Passphrases come from the environment, never from arguments (which other users can see in ps).
      if (!current || !next) {
        throw new PushdeckError(
          'KEYS_PASSPHRASE_MISSING',
          'Set PUSHDECK_PASSPHRASE to the current passphrase and PUSHDECK_NEW_PASSPHRASE to the new one.',
        );
      }
      await env.withCore(async (call) => {
        const result = await call('keys.changePassphrase', { current, next });
        printData(
          out,
          { resealed: result.resealed },
          () =>
            `Re-sealed ${result.resealed} key${result.resealed === 1 ? '' : 's'} with the new passphrase: use it as PUSHDECK_PASSPHRASE (and in the desktop app) from now on.`,
        );
      });
    });
}
