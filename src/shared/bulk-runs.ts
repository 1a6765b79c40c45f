// Bulk actions run in the background: the request answers at once and the action goes on in chunks on the
// bulk lane (progress as subscriptions.bulk.progress, Stop as subscriptions.bulk.cancel), its end told as
// subscriptions.bulk.ended. The window uses it for every bulk action; the CLI keeps the channels that
// answer at the end (subscriptions.tag/delete/restore/trash.empty).
import { z } from 'zod';
import { channel, event } from './channel.ts';
import { selectionSchema, tagNameSchema, type BulkAction } from './subscriptions.ts';

/** What to do, as the channel that answers at the end takes it. */
export const bulkRunSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('tag'),
      selection: selectionSchema,
      add: z.array(tagNameSchema).max(20).optional(),
      remove: z.array(z.string()).max(20).optional(),
    })
    .strict(),
  z.object({ action: z.literal('delete'), selection: selectionSchema }).strict(),
  z
    .object({
      action: z.literal('restore'),
      selection: selectionSchema.optional(),
      /** Undo: restores what one delete put in the trash. */
      deletedAt: z.number().int().optional(),
    })
    .strict(),
  z.object({ action: z.literal('emptyTrash') }).strict(),
]);
export type BulkRun = z.infer<typeof bulkRunSchema>;

export interface BulkEnded {
  /** The runId the request gave. */
  runId: string;
  appId: number;
  action: BulkAction;
  /** Subscriptions the action applied to (as the channel answering at the end returns); null if it failed. */
  count: number | null;
  /** A delete's stamp, for undo (also in the start's answer). */
  deletedAt: number | null;
  /** Why it ended early: BULK_STOPPED (Stop), or an error; the chunks committed before it keep the change. */
  error: { code: string; message: string } | null;
}

export const bulkRunsChannels = {
  /**
   * Starts a bulk action and answers at once, before its first chunk: `deletedAt` names a delete (undo),
   * null for the others. Its end comes as subscriptions.bulk.ended with this runId.
   */
  'subscriptions.bulk.start': channel(
    z.object({ appId: z.number().int(), runId: z.string().min(1).max(100), run: bulkRunSchema }).strict(),
    { on: 'query' },
  ).returns<{ deletedAt: number | null }>(),
  /**
   * The app's last bulk action started from a window before this process started that never ended (a
   * crash, a quit): told once (null after, and when there is none).
   */
  'subscriptions.bulk.interrupted': channel(
    z.object({ appId: z.number().int() }).strict(),
  ).returns<BulkInterrupted | null>(),
};

/** A window's bulk action that a crash or a quit cut short, as far as its committed chunks got. */
export interface BulkInterrupted {
  action: BulkAction;
  done: number;
  /** Null if it ended before its first chunk was committed. */
  total: number | null;
  startedAt: number;
}

export const bulkRunsEvents = {
  /** A background bulk action's end: what it did, or why it stopped. */
  'subscriptions.bulk.ended': event<BulkEnded>(),
};
