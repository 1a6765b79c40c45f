// Holds one thread of a query lane: main's connection takes the write lock and a template saved on the lane
// waits for it there, so that the lane's next questions go to its other thread (the lanes' tests).
import type { CoreContext } from '../../src/main/core/context.ts';
import type { Lane } from '../../src/main/core/query-lanes.ts';

export interface HeldThread {
  /** Whether the held save has gone through (it must not while held). */
  saved(): boolean;
  /** Lets the save through and waits for it. */
  release(): Promise<void>;
}

/** Holds the lane's first free thread, and waits `settleMs` for the save to reach it. */
export async function holdThread(
  ctx: CoreContext,
  lane: Lane,
  appId: number,
  settleMs: number,
): Promise<HeldThread> {
  ctx.db.exec('BEGIN IMMEDIATE');
  let saved = false;
  const save = lane
    .call('templates.save', {
      appId,
      name: 'Held',
      message: { format: 'notification', notification: { title: 'Hi' } },
    })
    .then(() => (saved = true));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return {
    saved: () => saved,
    async release() {
      ctx.db.exec('COMMIT');
      await save;
    },
  };
}
