// What the composer shows beside the form: the audience's size, a sample subscriber and the notification
// as they would see it, the byte budget and the pre-send checker's findings.
import type { ComposePreview, ComposeRequest, Finding } from '../../../shared/compose.ts';
import { getApp } from '../apps/apps.ts';
import type { CoreContext } from '../context.ts';
import { payloadText, personaliseNotification } from '../payload/build.ts';
import { countAudience, sampleRecipient } from './audience.ts';
import { checkMessage } from './checker.ts';
import { measureAudience } from './placeholder-scan.ts';

export function composePreview(ctx: CoreContext, request: ComposeRequest): ComposePreview {
  const app = getApp(ctx, request.appId);
  const audience = countAudience(ctx, app.id, request.audience);
  const sample = sampleRecipient(ctx, app.id, request.audience);
  const recipient = sample ?? { label: null, fields: null };
  const { budget, placeholders } = measureAudience(
    ctx,
    app.id,
    request.message,
    request.audience,
    audience.recipients,
  );
  const findings: Finding[] = checkMessage({
    message: request.message,
    options: request.options,
    subject: app.subject,
    audience,
    budget,
    placeholders,
  });
  const shows = request.message.format === 'notification' || request.message.format === 'declarative';
  return {
    recipients: audience.recipients,
    sample,
    rendered: shows ? personaliseNotification(request.message, recipient) : null,
    payloadText: payloadText(request.message, recipient),
    budget,
    placeholders,
    findings,
  };
}
