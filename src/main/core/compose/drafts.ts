// The composer's draft, one per app, saved as the user types so that nothing is lost on quit or crash.
import { composeDraftSchema, type ComposeDraft } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';

export function getDraft(ctx: CoreContext, appId: number): ComposeDraft | null {
  const row = ctx.db.prepare('SELECT draft FROM compose_drafts WHERE app_id = ?').get(appId) as
    { draft: string } | undefined;
  if (!row) return null;
  // A draft from an older shape is dropped rather than breaking the composer.
  const parsed = composeDraftSchema.safeParse(JSON.parse(row.draft));
  return parsed.success ? parsed.data : null;
}

export function saveDraft(ctx: CoreContext, appId: number, draft: ComposeDraft): { savedAt: number } {
  const savedAt = ctx.now();
  ctx.db
    .prepare(
      `INSERT INTO compose_drafts (app_id, draft, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (app_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at`,
    )
    .run(appId, JSON.stringify(draft), savedAt);
  return { savedAt };
}
