// What `pushdeck send --template/--segment/--var/--check` adds to a send: a saved message or audience by
// name, placeholder defaults, and the pre-send checker's findings printed (exit 1 when any blocks).
import type { AudienceFilter, ComposeRequest, Finding, MessageSpec } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { Call } from '../dispatcher.ts';
import { usageError, type Output } from '../output.ts';
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

/** `--check`: prints the findings (as JSON with --json); throws (exit 1) when any blocks. */
export function reportFindings(out: Output, findings: Finding[]): void {
  const blocked = findings.some((f) => f.severity === 'block');
  if (out.json) out.stdout(JSON.stringify({ findings, blocked }, null, 2));
  if (printFindings(out, findings)) {
    const count = findings.filter((f) => f.severity === 'block').length;
    throw new PushdeckError('CHECK_BLOCKED', `${count} problem(s) block sending; nothing was sent.`);
  }
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
export async function composeForSend(
  call: Call,
  appId: number,
  flags: ComposeSendFlags,
  given: { message: MessageSpec; audience: AudienceFilter },
): Promise<{ message: MessageSpec; audience: AudienceFilter }> {
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
  const { template, segment } = flags;
  const message = template ? await call('templates.resolve', { appId, name: template }) : given.message;
  const audience = segment ? await call('segments.resolve', { appId, name: segment }) : given.audience;
  return { message: withVars(message, parseVars(flags.var)), audience };
}

/** `pushdeck send --check`: the pre-send checker's findings over the audience, printed. */
export async function checkForSend(call: Call, env: CommandEnv, request: ComposeRequest): Promise<void> {
  reportFindings(env.output(), (await call('compose.preview', request)).findings);
}
