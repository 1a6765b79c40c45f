// Segments: saved audience filters of an app, reused in the composer and by `pushdeck send --segment NAME`.
import { audienceFilterSchema, type AudienceFilter, type Segment } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';

interface SegmentRow {
  id: number;
  app_id: number;
  name: string;
  filter: string;
  updated_at: number;
}

function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    filter: audienceFilterSchema.parse(JSON.parse(row.filter)),
    updatedAt: row.updated_at,
  };
}

export function listSegments(ctx: CoreContext, appId: number): Segment[] {
  return (
    ctx.db
      .prepare('SELECT * FROM segments WHERE app_id = ? ORDER BY name COLLATE NOCASE')
      .all(appId) as SegmentRow[]
  ).map(toSegment);
}

export function findSegment(ctx: CoreContext, appId: number, name: string): Segment | undefined {
  const row = ctx.db
    .prepare('SELECT * FROM segments WHERE app_id = ? AND name = ?')
    .get(appId, name.trim()) as SegmentRow | undefined;
  return row && toSegment(row);
}

/** The filter of a segment, by name, for `pushdeck send --segment NAME`. */
export function resolveSegment(ctx: CoreContext, appId: number, name: string): AudienceFilter {
  const segment = findSegment(ctx, appId, name);
  if (!segment) {
    throw new PushdeckError(
      'SEGMENT_NOT_FOUND',
      `No segment named "${name}" in this app. List them with: pushdeck segment list --app NAME`,
    );
  }
  return segment.filter;
}

export function saveSegment(
  ctx: CoreContext,
  input: { appId: number; name: string; filter: AudienceFilter; overwrite?: boolean },
): Segment {
  const name = input.name.trim();
  const filter = JSON.stringify(input.filter);
  const existing = findSegment(ctx, input.appId, name);
  const at = ctx.now();
  if (existing && !input.overwrite) {
    throw new PushdeckError(
      'SEGMENT_EXISTS',
      `A segment named "${name}" exists. Choose another name or replace it.`,
    );
  }
  if (existing) {
    ctx.db
      .prepare('UPDATE segments SET filter = ?, updated_at = ? WHERE id = ?')
      .run(filter, at, existing.id);
  } else {
    ctx.db
      .prepare('INSERT INTO segments (app_id, name, filter, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(input.appId, name, filter, at, at);
  }
  return findSegment(ctx, input.appId, name)!;
}

export function deleteSegment(ctx: CoreContext, id: number): boolean {
  return ctx.db.prepare('DELETE FROM segments WHERE id = ?').run(id).changes > 0;
}
