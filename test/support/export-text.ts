// A list export as text, for tests: exportToFile into a temporary file (the app's own way), read back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportFormat, SubscriptionFilter } from '../../src/shared/subscriptions.ts';
import type { Db } from '../../src/main/core/db/database.ts';
import { exportToFile } from '../../src/main/core/subscriptions/export/list.ts';

export function exportToText(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
): { count: number; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pushdeck-export-text-'));
  try {
    const file = path.join(dir, `list.${format}`);
    const { count } = exportToFile(db, appId, filter, format, file);
    return { count, text: fs.readFileSync(file, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
