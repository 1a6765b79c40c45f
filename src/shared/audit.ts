// Contract of the audit view: the append-only log of sends, key changes, imports and deletions, read in
// keyset pages (newest first) and filtered by action and app.
import { z } from 'zod';
import { channel } from './channel.ts';

/** Who asked: the window ('app') or the command line ('cli'). */
export type Actor = 'app' | 'cli';

export interface AuditLogEntry {
  id: number;
  at: number;
  actor: Actor;
  action: string;
  appId: number | null;
  /** The app's name when it still exists. */
  appName: string | null;
  subject: string | null;
  /** What the writer recorded: counts, fingerprints, hashes; never a key or a payload. */
  details: Record<string, unknown>;
}

export interface AuditLogPage {
  entries: AuditLogEntry[];
  /** Pass as `before` to read the next (older) page; null at the end of the log. */
  nextBefore: number | null;
}

export const AUDIT_PAGE_MAX = 500;

export const auditListSchema = z
  .object({
    /** Exact action (`campaign.send`) or a family ending in a dot (`key.`). */
    action: z.string().min(1).max(100).optional(),
    appId: z.number().int().positive().optional(),
    /** Entries with an id below this one: the keyset cursor from the previous page. */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
  })
  .strict();
export type AuditListRequest = z.output<typeof auditListSchema>;

export const auditChannels = {
  'audit.list': channel(auditListSchema).returns<AuditLogPage>(),
  /** The distinct actions in the log, for the filter. */
  'audit.actions': channel(z.object({}).strict()).returns<string[]>(),
};
