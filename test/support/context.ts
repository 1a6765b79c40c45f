// A CoreContext over a real SQLite file in a temp folder, with events recorded for assertions.
import path from 'node:path';
import type { EventName, EventPayload } from '../../src/shared/contract.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { openContext, type ContextOptions } from '../../src/main/core/open-context.ts';
import { tempDir } from './temp-dir.ts';

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
    ...options,
  });
  return Object.assign(ctx, { recorded });
}
