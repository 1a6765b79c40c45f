// A dry run: builds and encrypts every message of an audience without sending any, and reports what would
// be sent and what would be refused before it leaves (payload too large, broken keys, bad endpoints).
import type { DryRunReport } from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../apps/apps.ts';
import { audienceSql } from '../compose/audience.ts';
import type { CoreContext } from '../context.ts';
import { buildPayload } from '../payload/build.ts';
import { encryptPayload, subscriptionKeys, WARN_PLAINTEXT_BYTES } from '../push/encryption.ts';
import { splitEndpoint } from '../push/request.ts';

const MAX_REJECTS_LISTED = 200;

export function dryRun(
  ctx: CoreContext,
  appId: number,
  message: MessageSpec,
  audience: AudienceFilter,
): DryRunReport {
  getApp(ctx, appId);
  const { where, params } = audienceSql(appId, audience);
  const report: DryRunReport = {
    recipients: 0,
    byPushService: {},
    largestPayloadBytes: 0,
    warnings: [],
    rejects: [],
  };
  let rejected = 0;
  const rows = ctx.db
    .prepare(
      `SELECT s.id, s.endpoint, s.p256dh, s.auth, s.push_service, s.label, s.fields FROM subscriptions s WHERE ${where} ORDER BY s.id`,
    )
    .iterate(...params) as Iterable<{
    id: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    push_service: string;
    label: string | null;
    fields: string | null;
  }>;
  for (const row of rows) {
    report.recipients += 1;
    report.byPushService[row.push_service] = (report.byPushService[row.push_service] ?? 0) + 1;
    try {
      splitEndpoint(row.endpoint);
      const payload = buildPayload(message, {
        label: row.label,
        fields: row.fields ? (JSON.parse(row.fields) as Record<string, unknown>) : null,
      });
      if (payload) {
        report.largestPayloadBytes = Math.max(report.largestPayloadBytes, payload.length);
        encryptPayload(payload, subscriptionKeys(row.p256dh, row.auth));
      }
    } catch (error) {
      rejected += 1;
      if (report.rejects.length < MAX_REJECTS_LISTED) {
        const reason = isPushdeckError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
        report.rejects.push({ subscriptionId: row.id, endpoint: row.endpoint, reason });
      }
    }
  }
  if (report.largestPayloadBytes > WARN_PLAINTEXT_BYTES) {
    report.warnings.push(
      `The largest payload is ${report.largestPayloadBytes} bytes: Firefox on Android drops payloads above about ${WARN_PLAINTEXT_BYTES}.`,
    );
  }
  if (rejected > report.rejects.length)
    report.warnings.push(
      `${rejected} recipients would be refused; the first ${report.rejects.length} are listed.`,
    );
  return report;
}
