// The one door into the core: validates a request against the contract once, runs its handler with the
// caller's actor stamped, and answers with an error envelope in which only Pushdeck's own codes cross.
// The window (ipc.ts), the query threads, the CLI and the tests all call it.
import type { Actor } from '../../../shared/audit.ts';
import {
  channels,
  isChannelName,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type EventName,
  type EventPayload,
  type Handlers,
} from '../../../shared/contract.ts';
import { isPushdeckError, unwrapEnvelope, type Envelope } from '../../../shared/errors.ts';
import type { CoreContext, EventSink } from '../context.ts';
import { withActor } from './actor.ts';
import { createHandlers, type HandlerOptions } from './handler-table.ts';

export type Logger = (message: string, error: unknown) => void;

/** A thread's table holds only the channels it serves. */
export type HandlerTable = Partial<Handlers>;

export interface DispatchOptions {
  /** Who asks; stamped on the audit entries of everything the call does. The window by default. */
  actor?: Actor;
  /** Where an unexpected error is told in full (the window only hears INTERNAL). */
  log?: Logger;
}

/** Input is never echoed in full (a 10 MB channel name came back whole): at most this much of it. */
const ECHO_MAX = 100;
const MESSAGE_MAX = 1000;
const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;

const defaultLogger: Logger = (message, error) => console.error(message, error);

export async function dispatch(
  table: HandlerTable,
  channelName: unknown,
  input: unknown,
  options: DispatchOptions = {},
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
  if (channels[channelName].callers === 'cli' && options.actor !== 'cli') {
    // A path typed on the command line, or a private key: never the window's to ask for.
    return {
      ok: false,
      error: { code: 'IPC_FORBIDDEN', message: `${channelName} is for the pushdeck command only.` },
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
  return serve(table, channelName, parsed.data, options);
}

/** Runs a request that was validated already (main's, passed to its query thread). */
export async function serve(
  table: HandlerTable,
  channelName: ChannelName,
  request: unknown,
  { actor = 'app', log = defaultLogger }: DispatchOptions = {},
): Promise<Envelope<unknown>> {
  try {
    const handler = table[channelName] as ((request: unknown) => unknown) | undefined;
    if (!handler) throw new Error(`No handler for ${channelName} here.`);
    return { ok: true, result: await withActor(actor, () => handler(request)) };
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

export interface InProcessDispatcher {
  /** Answers as the window is answered: an envelope, never a throw. */
  dispatch(channel: unknown, input: unknown): Promise<Envelope<unknown>>;
  /** The typed call: its result, or the envelope's error thrown as a PushdeckError. */
  call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>>;
  /** Listens to the core's events, as the window hears them (a run's progress and end); returns the unsubscribe. */
  on: Subscribe;
}

export type Subscribe = <E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
) => () => void;

/** The context's events, also told to this door's listeners. */
function eventTap(sink: EventSink): { events: EventSink; on: Subscribe } {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    events: {
      emit(event, payload) {
        sink.emit(event, payload);
        for (const listener of listeners.get(event) ?? []) listener(payload as never);
      },
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
}

/** The same door in process, for the CLI and the tests: `createDispatcher({ context, actor: 'cli' })`. */
export function createDispatcher(
  options: { context: CoreContext; actor: Actor; log?: Logger } & HandlerOptions,
): InProcessDispatcher {
  const { context, actor, log, ...handlerOptions } = options;
  // Work a call starts (a run, a dry run) tells its events to the context's sink and to `on`.
  const tap = eventTap(context.events);
  const table = createHandlers({ ...context, events: tap.events }, handlerOptions);
  const dispatchHere = (channel: unknown, input: unknown) =>
    dispatch(table, channel, input, { actor, ...(log ? { log } : {}) });
  return {
    dispatch: dispatchHere,
    call: async <K extends ChannelName>(channel: K, input: ChannelInput<K>) =>
      unwrapEnvelope(await dispatchHere(channel, input)) as ChannelOutput<K>,
    on: tap.on,
  };
}
