// `pushdeck send --variant NAME:SHARE[:key=value,…] … [--hold-rest]`: the A/B variants of a send, each a
// message built from a template or from the send's own message with its own title, body, URL, TTL, topic
// or urgency; and `pushdeck campaign send-rest ID --variant NAME` that sends the held part with the winner.
import { urgencies, type Urgency } from '../../../shared/campaigns.ts';
import type { MessageSpec } from '../../../shared/compose.ts';
import type { Variant, VariantPlanInput } from '../../../shared/variants.ts';
import type { Call } from '../dispatcher.ts';
import { usageError } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';
import { follow } from './campaign-follow.ts';
import { campaignIdArg } from '../flags.ts';

const KEYS = ['template', 'title', 'body', 'url', 'ttl', 'topic', 'urgency'] as const;
type Key = (typeof KEYS)[number];
const EXAMPLE = "--variant 'A:10:template=spring-a' or --variant 'B:10:title=Spring is here,url=https://…'";

/** One `--variant` value: NAME:SHARE, then optional key=value pairs separated by commas. */
export function parseVariantFlag(text: string): {
  name: string;
  share: number;
  settings: Partial<Record<Key, string>>;
} {
  const first = text.indexOf(':');
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  const name = first === -1 ? text : text.slice(0, first);
  const shareText = first === -1 ? '' : text.slice(first + 1, second === -1 ? undefined : second);
  const share = Number(shareText.replace(/%$/, ''));
  if (!name || !shareText || !Number.isFinite(share)) {
    throw usageError(`--variant takes NAME:SHARE[:key=value,…], e.g. ${EXAMPLE} (got "${text}")`);
  }
  const settings: Partial<Record<Key, string>> = {};
  const rest = second === -1 ? '' : text.slice(second + 1);
  // Split before each known key only: a title or URL may hold commas.
  for (const pair of rest ? rest.split(new RegExp(`,(?=(?:${KEYS.join('|')})=)`)) : []) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq) as Key;
    if (eq < 1 || !KEYS.includes(key)) {
      throw usageError(`--variant ${name}: "${pair}" is not one of ${KEYS.map((k) => `${k}=…`).join(', ')}`);
    }
    settings[key] = pair.slice(eq + 1);
  }
  return { name, share, settings };
}

/**
 * The variants of a send. `base` is the send's own message (--title, --template…), or null when only the
 * variants give one; every message then gets the send's --var defaults and --utm through `finish`.
 */
export async function variantPlan(
  call: Call,
  appId: number,
  flags: { variant: string[]; holdRest?: boolean },
  base: MessageSpec | null,
  finish: (message: MessageSpec) => MessageSpec,
): Promise<VariantPlanInput> {
  const variants: Variant[] = [];
  for (const text of flags.variant) {
    const { name, share, settings } = parseVariantFlag(text);
    const { template } = settings;
    let message = template ? await call('templates.resolve', { appId, name: template }) : base;
    const own = settings.title ?? settings.body ?? settings.url;
    if (!message && settings.title === undefined) {
      throw usageError(
        `--variant ${name} has no message: give it template=… or title=…, or give the send --title`,
      );
    }
    message ??= { format: 'notification', notification: { title: '' } };
    if (own !== undefined) {
      const n = message.notification ?? { title: '' };
      message = {
        ...message,
        format: message.format === 'declarative' ? 'declarative' : 'notification',
        notification: {
          ...n,
          ...(settings.title !== undefined ? { title: settings.title } : {}),
          ...(settings.body !== undefined ? { body: settings.body } : {}),
          ...(settings.url !== undefined ? { url: settings.url } : {}),
        },
      };
    }
    if (settings.urgency !== undefined && !urgencies.includes(settings.urgency as Urgency)) {
      throw usageError(`--variant ${name}: urgency is one of ${urgencies.join(', ')}`);
    }
    const ttl = settings.ttl === undefined ? undefined : Number(settings.ttl);
    if (ttl !== undefined && !Number.isInteger(ttl))
      throw usageError(`--variant ${name}: ttl is whole seconds`);
    variants.push({
      name,
      share,
      message: finish(message),
      ...(ttl !== undefined ? { ttl } : {}),
      ...(settings.topic !== undefined ? { topic: settings.topic } : {}),
      ...(settings.urgency !== undefined ? { urgency: settings.urgency as Urgency } : {}),
    });
  }
  return { variants, holdRest: Boolean(flags.holdRest) };
}

export function registerSendRestCommand(campaign: CliCommand, env: CommandEnv): void {
  campaign
    .command('send-rest')
    .description('send the held part of an A/B campaign with the chosen variant, in the same campaign')
    .argument('<id>', 'campaign id', campaignIdArg)
    .requiredOption('--variant <name>', 'the variant the rest receives (the winner)')
    .action(async (id: number, flags: { variant: string }) => {
      await env.withCore(async (call, on) => {
        const held = (await call('campaigns.get', { id })).variants?.held ?? 0;
        // Nothing held: the core's refusal below says why (already sent, nothing held back).
        if (held > 0) env.output().stderr(`Sending the rest (${held} held) with variant ${flags.variant}.`);
        await follow(env, call, on, () => call('campaigns.sendRest', { id, variant: flags.variant }));
      });
    });
}
