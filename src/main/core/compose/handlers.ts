// Handlers of the compose channels: audience questions, preview and checks, drafts, templates, segments.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { composeChannels } from '../../../shared/compose.ts';
import { zonePlanPreview } from '../delivery-time/campaign-timing.ts';
import type { CoreContext } from '../context.ts';
import { warmAudienceIndex } from './audience-index.ts';
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
  return {
    'compose.count': ({ appId, audience, timing }) => ({
      ...countAudience(ctx, appId, audience),
      heldBack: zonePlanPreview(ctx, appId, audience, timing).heldBack,
    }),
    'compose.preview': (request) => composePreview(ctx, request),
    'compose.search': ({ appId, query, limit }) => searchSubscriptions(ctx, appId, query, limit),
    'compose.tags': ({ appId }) => listTags(ctx, appId),
    'compose.draft.get': ({ appId }) => {
      // The composer opens: its audience index is built meanwhile, for the counts that follow.
      void warmAudienceIndex(ctx, appId);
      return getDraft(ctx, appId);
    },
    'compose.draft.save': ({ appId, draft }) => saveDraft(ctx, appId, draft),
    'templates.list': ({ appId }) => listTemplates(ctx, appId),
    'templates.get': ({ id }) => getTemplate(ctx, id),
    'templates.resolve': ({ appId, name }) => resolveTemplate(ctx, appId, name),
    'templates.save': (input) => saveTemplate(ctx, input),
    'templates.rename': ({ id, name }) => renameTemplate(ctx, id, name),
    'templates.duplicate': ({ id, name }) => duplicateTemplate(ctx, id, name),
    'templates.delete': ({ id }) => ({ deleted: deleteTemplate(ctx, id) }),
    'segments.list': ({ appId }) => listSegments(ctx, appId),
    'segments.resolve': ({ appId, name }) => resolveSegment(ctx, appId, name),
    'segments.save': (input) => saveSegment(ctx, input),
    'segments.delete': ({ id }) => ({ deleted: deleteSegment(ctx, id) }),
  };
}
