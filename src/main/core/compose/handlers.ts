// Handlers of the compose channels: audience questions, preview and checks, drafts, templates, segments.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { composeChannels } from '../../../shared/compose.ts';
import { zonePlanPreview } from '../delivery-time/campaign-timing.ts';
import type { CoreContext } from '../context.ts';
import { withoutAudienceChange } from './audience-index.ts';
import { countAudience, listTags, searchSubscriptions } from './audience.ts';
import { getDraft, saveDraft } from './drafts.ts';
import { composePreview } from './preview.ts';
import { deleteSegment, listSegments, resolveSegment, saveSegment } from './segments.ts';
import {
  deleteTemplate,
  duplicateTemplate,
  getTemplate,
  listTemplates,
  renameTemplate,
  resolveTemplate,
  saveTemplate,
} from './templates.ts';

export function composeHandlers(ctx: CoreContext): HandlersOf<typeof composeChannels> {
  // Drafts, templates and segments never change an audience: their writes keep the count index.
  const keep = <T>(write: () => T) => withoutAudienceChange(ctx, write);
  return {
    'compose.count': ({ appId, audience, timing }) => ({
      ...countAudience(ctx, appId, audience),
      heldBack: zonePlanPreview(ctx, appId, audience, timing).heldBack,
    }),
    'compose.preview': (request) => composePreview(ctx, request),
    'compose.search': ({ appId, query, limit }) => searchSubscriptions(ctx, appId, query, limit),
    'compose.tags': ({ appId }) => listTags(ctx, appId),
    'compose.draft.get': ({ appId }) => getDraft(ctx, appId),
    'compose.draft.save': ({ appId, draft }) => keep(() => saveDraft(ctx, appId, draft)),
    'templates.list': ({ appId }) => listTemplates(ctx, appId),
    'templates.get': ({ id }) => getTemplate(ctx, id),
    'templates.resolve': ({ appId, name }) => resolveTemplate(ctx, appId, name),
    'templates.save': (input) => keep(() => saveTemplate(ctx, input)),
    'templates.rename': ({ id, name }) => keep(() => renameTemplate(ctx, id, name)),
    'templates.duplicate': ({ id, name }) => keep(() => duplicateTemplate(ctx, id, name)),
    'templates.delete': ({ id }) => ({ deleted: keep(() => deleteTemplate(ctx, id)) }),
    'segments.list': ({ appId }) => listSegments(ctx, appId),
    'segments.resolve': ({ appId, name }) => resolveSegment(ctx, appId, name),
    'segments.save': (input) => keep(() => saveSegment(ctx, input)),
    'segments.delete': ({ id }) => ({ deleted: keep(() => deleteSegment(ctx, id)) }),
  };
}
