import { describe, expect, it } from 'vitest';
import { getDraft, saveDraft } from '../../../../src/main/core/compose/drafts.ts';
import { createDispatcher } from '../../../../src/main/core/dispatch/dispatcher.ts';
import {
  deleteSegment,
  listSegments,
  resolveSegment,
  saveSegment,
} from '../../../../src/main/core/compose/segments.ts';
import { setupSnippets } from '../../../../src/main/core/apps/snippet.ts';
import {
  deleteTemplate,
  duplicateTemplate,
  getTemplate,
  listTemplates,
  renameTemplate,
  resolveTemplate,
  saveTemplate,
} from '../../../../src/main/core/compose/templates.ts';
import type { MessageSpec } from '../../../../src/shared/compose.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';

const message: MessageSpec = {
  format: 'notification',
  notification: { title: 'Sale', body: 'Hi {{first_name|there}}' },
};

describe('templates', () => {
  it('saves, loads, renames, duplicates and deletes', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const saved = saveTemplate(ctx, { appId: app.id, name: ' Weekly ', message });
    expect(saved).toMatchObject({ name: 'Weekly', format: 'notification', title: 'Sale', message });
    expect(resolveTemplate(ctx, app.id, 'Weekly')).toEqual(message);
    expect(() => saveTemplate(ctx, { appId: app.id, name: 'Weekly', message })).toThrow(/exists/);
    saveTemplate(ctx, { appId: app.id, name: 'Weekly', message: { format: 'none' }, overwrite: true });
    expect(getTemplate(ctx, saved.id).message).toEqual({ format: 'none' });

    expect(renameTemplate(ctx, saved.id, 'Monthly').name).toBe('Monthly');
    const copy = duplicateTemplate(ctx, saved.id);
    const copy2 = duplicateTemplate(ctx, saved.id);
    expect([copy.name, copy2.name]).toEqual(['Monthly copy', 'Monthly copy 2']);
    expect(listTemplates(ctx, app.id).map((t) => t.name)).toEqual([
      'Monthly',
      'Monthly copy',
      'Monthly copy 2',
    ]);
    expect(() => renameTemplate(ctx, copy.id, 'Monthly')).toThrow(/exists/);

    // Through the door, which tells the window what templates.delete declares it changes.
    const door = createDispatcher({ context: ctx, actor: 'app' });
    expect(await door.call('templates.delete', { id: saved.id })).toEqual({ deleted: true });
    expect(deleteTemplate(ctx, saved.id)).toBe(false);
    expect(() => resolveTemplate(ctx, app.id, 'Monthly')).toThrow(/No template named "Monthly"/);
    expect(ctx.recorded.some((e) => JSON.stringify(e.payload).includes('templates'))).toBe(true);
  });

  it('keeps each app’s templates apart', () => {
    const ctx = testContext();
    const a = createTestApp(ctx);
    const b = createTestApp(ctx);
    saveTemplate(ctx, { appId: a.id, name: 'Same', message });
    saveTemplate(ctx, { appId: b.id, name: 'Same', message: { format: 'none' } });
    expect(resolveTemplate(ctx, b.id, 'Same')).toEqual({ format: 'none' });
    expect(listTemplates(ctx, a.id)).toHaveLength(1);
  });
});

describe('segments', () => {
  it('saves, lists, resolves and deletes a filter by name', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const segment = saveSegment(ctx, {
      appId: app.id,
      name: 'VIP on Apple',
      filter: { tagsAny: ['vip'], pushServices: ['apple'] },
    });
    expect(resolveSegment(ctx, app.id, 'VIP on Apple')).toEqual({
      tagsAny: ['vip'],
      pushServices: ['apple'],
    });
    expect(() => saveSegment(ctx, { appId: app.id, name: 'VIP on Apple', filter: {} })).toThrow(/exists/);
    saveSegment(ctx, { appId: app.id, name: 'VIP on Apple', filter: { testDevices: true }, overwrite: true });
    expect(listSegments(ctx, app.id).map((s) => s.filter)).toEqual([{ testDevices: true }]);
    expect(deleteSegment(ctx, segment.id)).toBe(true);
    expect(() => resolveSegment(ctx, app.id, 'VIP on Apple')).toThrow(/No segment/);
  });
});

describe('drafts and setup help', () => {
  it('keeps one composer draft per app, replaced on every save', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    expect(getDraft(ctx, app.id)).toBeNull();
    saveDraft(ctx, app.id, { message, audience: {}, options: { ttl: 60 } });
    saveDraft(ctx, app.id, {
      message,
      audience: { testDevices: true },
      options: { ttl: 3600, urgency: 'high' },
    });
    expect(getDraft(ctx, app.id)).toEqual({
      message,
      audience: { testDevices: true },
      options: { ttl: 3600, urgency: 'high' },
    });
  });

  it('gives the subscribe snippet the app’s public key and a service worker that reads Pushdeck’s payload', () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const snippets = setupSnippets(ctx, app.id);
    expect(snippets.subscribe).toContain(`'${app.publicKey}'`);
    expect(snippets.subscribe).toContain('userVisibleOnly: true');
    expect(snippets.serviceWorker).toContain("addEventListener('push'");
    expect(snippets.serviceWorker).toContain("addEventListener('notificationclick'");
    expect(snippets.serviceWorker).toContain('web_push === 8030');
    // Both snippets are valid JavaScript.
    expect(() => new Function(snippets.serviceWorker)).not.toThrow();
    expect(() => new Function(snippets.subscribe)).not.toThrow();
  });
});
