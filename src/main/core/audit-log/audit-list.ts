// Reads the append-only audit log newest first, one keyset page at a time (`id < before`): a page costs the
// same at the end of a long log as at its start, where LIMIT/OFFSET would scan everything before it.
import type { AuditListRequest, AuditLogEntry, AuditLogPage } from '../../../shared/audit.ts';
import type { CoreContext } from '../context.ts';
import { likeLiteral, whereOf } from '../db/where.ts';

interface AuditRow {
  id: number;
  at: number;
  actor: 'app' | 'cli';
  action: string;
  app_id: number | null;
  app_name: string | null;
  subject: string | null;
  details: string;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { text };
  }
}

function toEntry(row: AuditRow): AuditLogEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    appId: row.app_id,
    appName: row.app_name,
    subject: row.subject,
    details: parseDetails(row.details),
  };
}

export function listAudit(ctx: CoreContext, request: AuditListRequest): AuditLogPage {
  const { action } = request;
  const { where, params } = whereOf([
    request.before !== undefined && ['l.id < ?', request.before],
    // A family of actions: `key.` matches key.create, key.rotate…
    action?.endsWith('.') && ["l.action LIKE ? ESCAPE '\\'", `${likeLiteral(action)}%`],
    action !== undefined && !action.endsWith('.') && ['l.action = ?', action],
    request.appId !== undefined && ['l.app_id = ?', request.appId],
  ]);
  // One row more than asked tells whether another page follows.
  const rows = ctx.db
    .prepare(
      `SELECT l.id, l.at, l.actor, l.action, l.app_id, a.name AS app_name, l.subject, l.details
       FROM audit_log l LEFT JOIN apps a ON a.id = l.app_id
       ${where} ORDER BY l.id DESC LIMIT ?`,
    )
    .all(...params, request.limit + 1) as AuditRow[];
  const more = rows.length > request.limit;
  const entries = (more ? rows.slice(0, request.limit) : rows).map(toEntry);
  return { entries, nextBefore: more ? entries[entries.length - 1]!.id : null };
}

export function listAuditActions(ctx: CoreContext): string[] {
  return (
    ctx.db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]
  ).map((row) => row.action);
}
