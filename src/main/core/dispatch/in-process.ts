// The door for a caller in this process (the CLI): opens Pushdeck's database, serves the contract through the
// same dispatcher as the window, and closes the file again. The only part of the core the CLI's bootstrap uses.
import type { Actor } from '../../../shared/audit.ts';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract.ts';
import { isPushdeckError, PushdeckError, type Envelope } from '../../../shared/errors.ts';
import type { RuntimeInfo, SaveFileChooser } from '../context.ts';
import { diskFullError, isDiskFull } from '../db/disk-full.ts';
import { checkDatabaseFile, damagedError } from '../db/integrity.ts';
import { openContext } from '../open-context.ts';
import { withActor } from './actor.ts';
import { createDispatcher, type InProcessDispatcher } from './dispatcher.ts';
import type { HandlerOptions } from './handler-table.ts';

export { resolveDbPath } from '../db/paths.ts';
export { checkDatabaseFile, damagedError };
export type { HandlerOptions };

export interface DoorOptions extends HandlerOptions {
  dbPath: string;
  actor: Actor;
  runtime: RuntimeInfo;
  /** The core's clock (tests start it at an instant); Date.now otherwise. */
  now?: () => number;
  /** Answers the core's "where to save?" where the window would show its save dialog. */
  chooseSaveFile?: SaveFileChooser;
}

export interface Door extends Omit<InProcessDispatcher, 'call'> {
  /**
   * The typed call. An error that is not Pushdeck's is thrown as it is, not as INTERNAL: the caller is in
   * this process and says itself what it means (a full disk, what became of the work).
   */
  call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>>;
}

/** Opens the door on `dbPath`, runs `use` and closes the database, whatever happens. */
export async function withDoor<T>(options: DoorOptions, use: (door: Door) => Promise<T> | T): Promise<T> {
  const { dbPath, actor, runtime, now, chooseSaveFile, ...handlerOptions } = options;
  const context = openContext({ dbPath, runtime, now, chooseSaveFile });
  let unexpected: unknown;
  const dispatcher = createDispatcher({
    context,
    actor,
    log: (_message, error) => (unexpected = error),
    ...handlerOptions,
  });
  const door: Door = {
    ...dispatcher,
    async call(channel, input) {
      unexpected = undefined;
      const envelope = (await dispatcher.dispatch(channel, input)) as Envelope<ChannelOutput<typeof channel>>;
      if (envelope.ok) return envelope.result;
      if (envelope.error.code === 'INTERNAL' && unexpected !== undefined) throw unexpected;
      throw new PushdeckError(envelope.error.code, envelope.error.message);
    },
  };
  try {
    // Everything the call starts, background work included, is the caller's in the audit log.
    return await withActor(actor, () => use(door));
  } catch (error) {
    // Commands that know what a full disk did to their work say so (DISK_FULL); the others get this.
    if (isDiskFull(error) && !(isPushdeckError(error) && error.code === 'DISK_FULL')) {
      throw diskFullError(dbPath, 'Free some space and run the command again.');
    }
    throw error;
  } finally {
    context.db.close();
  }
}
