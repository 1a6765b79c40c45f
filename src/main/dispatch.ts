// Validates a request against the contract, runs its handler, and answers with an error envelope rather
// than a thrown Error, so that the code survives the trip across IPC.
import { channels, isChannelName, type Handlers } from '../shared/contract.ts';
import { isPushdeckError, type Envelope } from '../shared/errors.ts';

export type Logger = (message: string, error: unknown) => void;

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
      error: { code: 'IPC_UNKNOWN_CHANNEL', message: `Unknown request: ${String(channelName)}` },
    };
  }
  const parsed = channels[channelName].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`,
    );
    return {
      ok: false,
      error: { code: 'IPC_INVALID_INPUT', message: `Invalid ${channelName}: ${issues.join('; ')}` },
    };
  }
  try {
    const handler = handlers[channelName] as (request: unknown) => unknown;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    if (isPushdeckError(error)) return { ok: false, error: { code: error.code, message: error.message } };
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
