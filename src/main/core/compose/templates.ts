// Templates: named messages of an app, saved, loaded, renamed, duplicated and deleted; the CLI sends them
// with `pushdeck send --template NAME`.
import {
  messageSpecSchema,
  type MessageSpec,
  type Template,
  type TemplateSummary,
} from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';

interface TemplateRow {
  id: number;
  app_id: number;
  name: string;
  message: string;
  updated_at: number;
}

function toTemplate(row: TemplateRow): Template {
  const message = messageSpecSchema.parse(JSON.parse(row.message));
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    format: message.format,
    title: message.notification?.title || null,
    updatedAt: row.updated_at,
    message,
  };
}

export function listTemplates(ctx: CoreContext, appId: number): TemplateSummary[] {
  const rows = ctx.db
    .prepare('SELECT * FROM templates WHERE app_id = ? ORDER BY name COLLATE NOCASE')
    .all(appId) as TemplateRow[];
  return rows.map((row) => {
    const { message: _message, ...summary } = toTemplate(row);
    return summary;
  });
}

export function getTemplate(ctx: CoreContext, id: number): Template {
  const row = ctx.db.prepare('SELECT * FROM templates WHERE id = ?').get(id) as TemplateRow | undefined;
  if (!row)
    throw new PushdeckError('TEMPLATE_NOT_FOUND', `No template with id ${id}; it may have been deleted.`);
  return toTemplate(row);
}

export function findTemplate(ctx: CoreContext, appId: number, name: string): Template | undefined {
  const row = ctx.db
    .prepare('SELECT * FROM templates WHERE app_id = ? AND name = ?')
    .get(appId, name.trim()) as TemplateRow | undefined;
  return row && toTemplate(row);
}

/** The message of a template, by name, for `pushdeck send --template NAME`. */
export function resolveTemplate(ctx: CoreContext, appId: number, name: string): MessageSpec {
  const template = findTemplate(ctx, appId, name);
  if (!template) {
    throw new PushdeckError(
      'TEMPLATE_NOT_FOUND',
      `No template named "${name}" in this app. List them with: pushdeck template list --app NAME`,
    );
  }
  return template.message;
}

export function saveTemplate(
  ctx: CoreContext,
  input: { appId: number; name: string; message: MessageSpec; overwrite?: boolean },
): Template {
  const { message } = input;
  const name = input.name.trim();
  const existing = findTemplate(ctx, input.appId, name);
  const at = ctx.now();
  if (existing) {
    if (!input.overwrite) {
      throw new PushdeckError(
        'TEMPLATE_EXISTS',
        `A template named "${name}" exists. Choose another name or replace it.`,
      );
    }
    ctx.db
      .prepare('UPDATE templates SET message = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(message), at, existing.id);
    return getTemplate(ctx, existing.id);
  }
  const id = Number(
    ctx.db
      .prepare('INSERT INTO templates (app_id, name, message, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(input.appId, name, JSON.stringify(message), at, at).lastInsertRowid,
  );
  return getTemplate(ctx, id);
}

export function renameTemplate(ctx: CoreContext, id: number, rawName: string): Template {
  const template = getTemplate(ctx, id);
  const name = rawName.trim();
  const clash = findTemplate(ctx, template.appId, name);
  if (clash && clash.id !== id) {
    throw new PushdeckError('TEMPLATE_EXISTS', `A template named "${name}" exists. Choose another name.`);
  }
  ctx.db.prepare('UPDATE templates SET name = ?, updated_at = ? WHERE id = ?').run(name, ctx.now(), id);
  return getTemplate(ctx, id);
}

export function duplicateTemplate(ctx: CoreContext, id: number, name?: string): Template {
  const template = getTemplate(ctx, id);
  let copyName = name?.trim() || `${template.name} copy`;
  for (let n = 2; !name && findTemplate(ctx, template.appId, copyName); n++)
    copyName = `${template.name} copy ${n}`;
  return saveTemplate(ctx, { appId: template.appId, name: copyName, message: template.message });
}

export function deleteTemplate(ctx: CoreContext, id: number): boolean {
  return ctx.db.prepare('DELETE FROM templates WHERE id = ?').run(id).changes > 0;
}
