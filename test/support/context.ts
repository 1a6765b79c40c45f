// A CoreContext over a real SQLite file in a temp folder, with events recorded for assertions.
import path from 'node:path';
import type { EventName, EventPayload } from '../../src/shared/contract.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext, type ContextOptions } from '../../src/main/core/open-context.ts';
import { tempDir } from './temp-dir.ts';

/** Tests seal keys with this passphrase unless they say otherwise. */
export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface RecordedEvent {
  event: EventName;
  payload: unknown;
}

export function testContext(
  options: Partial<ContextOptions> = {},
): CoreContext & { recorded: RecordedEvent[] } {
  const recorded: RecordedEvent[] = [];
  const ctx = openContext({
    dbPath: options.dbPath ?? path.join(tempDir(), 'pushdeck.db'),
    runtime: { pushdeckVersion: 'test', electronVersion: null },
    events: {
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        recorded.push({ event, payload });
      },
    },
    keySealer: passphraseSealer(TEST_PASSPHRASE),
    ...options,
  });
  return Object.assign(ctx, { recorded });
}
