// The append-only audit log: sends, key changes, imports and deletions. Never a key, never a payload.
import type { Actor } from '../../../shared/audit.ts';
import type { Db } from '../db/database.ts';
import { currentActor } from '../dispatch/actor.ts';

export interface AuditEntry {
  /** Stamped from the call being served (dispatch/actor.ts) when not given. */
  actor?: Actor;
  action: string;
  appId?: number | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export function appendAudit(db: Db, at: number, entry: AuditEntry): void {
  db.prepare(
    'INSERT INTO audit_log (at, actor, action, app_id, subject, details) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(
    at,
    entry.actor ?? currentActor(),
    entry.action,
    entry.appId ?? null,
    entry.subject ?? null,
    JSON.stringify(entry.details ?? {}),
  );
}
