// Validates a request against the contract, runs its handler, and answers with an error envelope rather
// than a thrown Error, so that the code survives the trip across IPC.
import { channels, isChannelName, type Handlers } from '../shared/contract.ts';
import { isPushdeckError, type Envelope } from '../shared/errors.ts';

export type Logger = (message: string, error: unknown) => void;

/** Input is never echoed in full (a 10 MB channel name came back whole): at most this much of it. */
const ECHO_MAX = 100;
const MESSAGE_MAX = 1000;
const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;

const defaultLogger: Logger = (message, error) => console.error(message, error);

export async function dispatch(
  handlers: Handlers,
  channelName: unknown,
  input: unknown,
  log: Logger = defaultLogger,
): Promise<Envelope<unknown>> {
  if (!isChannelName(channelName)) {
    return {
      ok: false,
      error: {
        code: 'IPC_UNKNOWN_CHANNEL',
        message: `Unknown request: ${cap(String(channelName), ECHO_MAX)}`,
      },
    };
  }
  const parsed = channels[channelName].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) =>
        `${cap(issue.path.map((part) => cap(String(part), ECHO_MAX)).join('.'), 3 * ECHO_MAX) || 'request'}: ${cap(issue.message, 3 * ECHO_MAX)}`,
    );
    return {
      ok: false,
      error: {
        code: 'IPC_INVALID_INPUT',
        message: cap(`Invalid ${channelName}: ${issues.slice(0, 5).join('; ')}`, MESSAGE_MAX),
      },
    };
  }
  try {
    const handler = handlers[channelName] as (request: unknown) => unknown;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    if (isPushdeckError(error)) {
      return { ok: false, error: { code: error.code, message: cap(error.message, MESSAGE_MAX) } };
    }
    log(`Unexpected error in ${channelName}`, error);
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Something went wrong in ${channelName}. See the log for details.`,
      },
    };
  }
}
