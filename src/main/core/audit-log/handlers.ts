// Handlers of the audit channels: read-only views of the append-only log.
import type { auditChannels } from '../../../shared/audit.ts';
import type { HandlersOf } from '../../../shared/contract.ts';
import type { CoreContext } from '../context.ts';
import { listAudit, listAuditActions } from './audit-list.ts';

export function auditHandlers(ctx: CoreContext): HandlersOf<typeof auditChannels> {
  return {
    'audit.list': (request) => listAudit(ctx, request),
    'audit.actions': () => listAuditActions(ctx),
  };
}
