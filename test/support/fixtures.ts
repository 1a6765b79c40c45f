// Domain fixtures for tests: apps with real, freshly generated VAPID keys.
import type { AppSummary } from '../../src/shared/apps.ts';
import { createApp } from '../../src/main/core/apps/apps.ts';
import type { CoreContext } from '../../src/main/core/context.ts';

let counter = 0;

export function createTestApp(ctx: CoreContext, name = `app-${++counter}.example`): AppSummary {
  return createApp(ctx, { name, subject: 'mailto:ops@example.com' });
}
