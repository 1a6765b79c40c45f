// `pushdeck send …`: builds the audience and the message from flags (or a template and a segment),
// creates a campaign and follows it to the end. Exit 0 when the campaign ran to the end, even with failed
// deliveries; 1 when it could not run or did not finish.
import fs from 'node:fs';
import { Option } from 'commander';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PER_ORIGIN_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TTL_SECONDS,
  MAX_CONCURRENCY,
  urgencies,
  type SendOptionsInput,
} from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { printData, table, usageError } from '../output.ts';
import { checkForSend, composeForSend, parseVars, reportFindings, withVars } from './send-compose.ts';
import type { ComposeSendFlags } from './send-compose.ts';
import { variantPlan } from './send-variants.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

import { follow, followDryRun, formatCounts } from './campaign-follow.ts';
import { collect, integer, notificationFromFlags, positive, type NotificationFlags } from '../flags.ts';
import { timingOf, timingOptions, type TimingFlags } from './timing.ts';

interface SendFlags extends NotificationFlags, ComposeSendFlags {
  app: string;
  all?: boolean;
  tag?: string[];
  endpoint?: string[];
  payload?: string | false;
  payloadFile?: string;
  ttl?: number;
  urgency?: (typeof urgencies)[number];
  topic?: string;
  concurrency?: number;
  concurrencyPerOrigin?: number;
  rate?: number;
  timeout?: number;
  name?: string;
  dryRun?: boolean;
  encryptAll?: boolean;
  utm?: string | boolean;
  variant?: string[];
  holdRest?: boolean;
}

type AllSendFlags = SendFlags & TimingFlags;

function audienceOf(env: CommandEnv, flags: SendFlags): AudienceFilter {
  // A saved segment replaces these (composeForSend checks that it comes alone).
  if (flags.segment) return {};
  const chosen = [flags.all, flags.tag?.length, flags.endpoint?.length].filter(Boolean).length;
  if (chosen !== 1) throw usageError('choose the audience with exactly one of --all, --tag or --endpoint');
  if (flags.tag?.length) return { tagsAny: flags.tag };
  if (flags.endpoint?.length) return { endpoints: flags.endpoint };
  return {};
}

function messageOf(env: CommandEnv, flags: SendFlags): MessageSpec | null {
  // A saved template replaces these (composeForSend checks that it comes alone).
  if (flags.template) return { format: 'none' };
  const own = flags.title !== undefined || flags.payload !== undefined || flags.payloadFile !== undefined;
  // Variants may bring every message themselves.
  if (flags.variant?.length && !own) return null;
  const notificationFlags = [
    flags.body,
    flags.url,
    flags.icon,
    flags.image,
    flags.badge,
    flags.notificationTag,
  ];
  const chosen = [
    flags.title !== undefined,
    typeof flags.payload === 'string',
    flags.payloadFile,
    flags.payload === false,
  ];
  if (chosen.filter(Boolean).length !== 1) {
    throw usageError(
      'give the message with exactly one of --title, --payload, --payload-file or --no-payload',
    );
  }
  if (flags.title === undefined && notificationFlags.some((v) => v !== undefined)) {
    throw usageError('--body, --url, --icon, --image, --badge and --notification-tag go with --title');
  }
  if (flags.title !== undefined) {
    return { format: 'notification', notification: notificationFromFlags(flags, flags.title) };
  }
  if (flags.payload === false) return { format: 'none' };
  if (flags.payloadFile) {
    let raw: string;
    try {
      raw = fs.readFileSync(flags.payloadFile, 'utf8');
    } catch (error) {
      throw new PushdeckError(
        'PAYLOAD_FILE_UNREADABLE',
        `Cannot read ${flags.payloadFile}: ${(error as Error).message}`,
      );
    }
    return { format: 'raw', raw };
  }
  return { format: 'raw', raw: flags.payload as string };
}

/** `--utm [source]`: tags the notification's links; a raw payload is sent as written, so it refuses. */
export function withLinkFlag(message: MessageSpec, utm: string | boolean | undefined): MessageSpec {
  if (utm === undefined || utm === false) return message;
  if (message.format !== 'notification' && message.format !== 'declarative') {
    throw usageError('--utm tags a notification’s links: a raw payload or a push without one is sent as is');
  }
  return { ...message, utm: { ...message.utm, ...(typeof utm === 'string' ? { source: utm } : {}) } };
}

export function registerSendCommand(program: CliCommand, env: CommandEnv): void {
  const command = program
    .command('send')
    .description('send a push to an app’s subscribers (creates a campaign and follows it to the end)')
    .requiredOption('--app <name>', 'the app to send from')
    .option('--all', 'every active subscription of the app')
    .option('--tag <tag>', 'subscriptions with this tag (repeatable: any of them)', collect)
    .option('--endpoint <url>', 'this subscription (repeatable)', collect)
    .option('--title <text>', 'notification title')
    .option('--body <text>', 'notification body')
    .option('--url <url>', 'page to open on click (the payload’s url)')
    .option('--icon <url>', 'notification icon')
    .option('--image <url>', 'notification image')
    .option('--badge <url>', 'notification badge')
    .option('--notification-tag <tag>', 'notification tag: a newer one replaces an older one on the device')
    .option('--payload <text>', 'send this text or JSON as the payload, as is')
    .option('--payload-file <file>', 'send this file’s content as the payload')
    .option('--no-payload', 'send a push without payload')
    .option('--ttl <seconds>', 'how long the push service keeps it (0 to 2419200)', integer(0, 2_419_200))
    .addOption(new Option('--urgency <urgency>', 'delivery urgency').choices(urgencies))
    .option('--topic <topic>', 'replaces an undelivered push with the same topic (≤ 32 base64url characters)')
    .option(
      '--concurrency <n>',
      `at most this many requests in flight, all push services together (default ${DEFAULT_CONCURRENCY}; each service's own limit adapts below it)`,
      integer(1, MAX_CONCURRENCY),
    )
    .option(
      '--concurrency-per-origin <n>',
      `at most this many requests in flight to one push service (default ${DEFAULT_PER_ORIGIN_CONCURRENCY})`,
      integer(1, MAX_CONCURRENCY),
    )
    .option('--rate <n>', 'at most this many messages per second', positive)
    .option('--timeout <ms>', `per-request timeout (default ${DEFAULT_TIMEOUT_MS})`, integer(100, 600_000))
    .option('--name <name>', 'campaign name')
    .option('--template <name>', 'send this saved template (instead of --title, --payload…)')
    .option('--segment <name>', 'send to this saved segment (instead of --all, --tag, --endpoint)')
    .option('--var <name=value>', 'a default for a {{placeholder}} (repeatable)', collect)
    .option(
      '--utm [source]',
      'tag the links it opens with utm_source (default pushdeck), utm_medium=push, utm_campaign=<name slug>',
    )
    .option(
      '--variant <NAME:SHARE[:key=value,…]>',
      'an A/B variant with its share in % (repeatable, 2 to 5); keys: template, title, body, url, ttl, topic, urgency',
      collect,
    )
    .option('--hold-rest', 'with --variant: hold the audience outside the shares for campaign send-rest')
    .option('--check', 'run the pre-send checks and stop: nothing is sent')
    .option('--dry-run', 'check every recipient, send nothing, report what would be sent (encrypts 1 in 100)')
    .option('--encrypt-all', 'with --dry-run: encrypt every message too (minutes at a million)');
  for (const option of timingOptions()) command.addOption(option);
  command.action(async (flags: AllSendFlags) => {
    const timing = timingOf(flags);
    if (timing?.localTime && flags.variant?.length)
      throw usageError('--local-time cannot go with --variant yet: send the variants at one time');
    const givenAudience = audienceOf(env, flags);
    const givenMessage = messageOf(env, flags);
    const options: SendOptionsInput = {
      ...(flags.ttl !== undefined ? { ttl: flags.ttl } : {}),
      ...(flags.urgency ? { urgency: flags.urgency } : {}),
      ...(flags.topic ? { topic: flags.topic } : {}),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(flags.concurrencyPerOrigin ? { perOriginConcurrency: flags.concurrencyPerOrigin } : {}),
      ...(flags.rate ? { rate: flags.rate } : {}),
      ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
    };
    await env.withCore(async (call, on) => {
      const out = env.output();
      const app = await call('apps.get', { app: flags.app });
      if (flags.holdRest && !flags.variant?.length) throw usageError('--hold-rest goes with --variant');
      const composed = await composeForSend(call, app.id, flags, {
        message: givenMessage ?? { format: 'none' },
        audience: givenAudience,
      });
      const { audience } = composed;
      const finish = (m: MessageSpec) => withLinkFlag(withVars(m, parseVars(flags.var)), flags.utm);
      const variants = flags.variant?.length
        ? await variantPlan(
            call,
            app.id,
            { variant: flags.variant, holdRest: flags.holdRest },
            givenMessage && composed.message,
            finish,
          )
        : undefined;
      const message = variants ? variants.variants[0]!.message : withLinkFlag(composed.message, flags.utm);
      if (flags.check) {
        const request = {
          appId: app.id,
          message,
          audience,
          options: {
            ttl: flags.ttl ?? DEFAULT_TTL_SECONDS,
            urgency: flags.urgency,
            topic: flags.topic,
            rate: flags.rate,
          },
        };
        if (!variants) return checkForSend(call, env, request);
        const findings = await call('campaigns.checkVariants', { ...request, variants: variants.variants });
        reportFindings(out, findings);
        return;
      }
      if (flags.dryRun) {
        const report = await followDryRun(env, call, on, {
          appId: app.id,
          message,
          audience,
          encrypt: flags.encryptAll ? 'all' : 'sample',
        });
        for (const warning of report.warnings) out.stderr(`warning: ${warning}`);
        printData(out, report, () =>
          [
            table([
              ['Would send to', String(report.recipients)],
              [
                'Encrypted',
                `${report.encrypted}${report.encrypted < report.recipients ? ' (a sample)' : ''}`,
              ],
              ['By service', formatCounts(report.byPushService)],
              ['Largest payload', `${report.largestPayloadBytes} bytes`],
              ['Refused', String(report.refused)],
            ]),
            ...report.rejects.map((r) => `  #${r.subscriptionId} ${r.reason} ${r.endpoint}`),
          ].join('\n'),
        );
        return;
      }
      await follow(env, call, on, () =>
        call('campaigns.sendNow', {
          appId: app.id,
          name: flags.name,
          message,
          audience,
          options,
          variants,
          timing,
        }),
      );
    });
  });
}
