// Exports a campaign's results: every delivery (read in keyset pages) as CSV, or the detail with its
// breakdowns and every delivery as JSON; the browser saves the file (Electron asks where).
import type { CampaignDetail, DeliveryRecord } from '../../../../shared/campaigns.ts';
import { call } from '../../api/client.ts';

export type ExportFormat = 'csv' | 'json';

const EXPORT_PAGE = 1000;

export async function readAllDeliveries(id: number): Promise<DeliveryRecord[]> {
  const all: DeliveryRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await call('campaigns.deliveries', { id, after, limit: EXPORT_PAGE });
    all.push(...page.items);
    if (page.nextAfter === null) return all;
    after = page.nextAfter;
  }
}

const columns = [
  'subscriptionId',
  'endpoint',
  'pushService',
  'label',
  'state',
  'outcome',
  'httpStatus',
  'reason',
  'bodyExcerpt',
  'attempts',
  'latencyMs',
  'updatedAt',
] as const satisfies readonly (keyof DeliveryRecord)[];

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : String(value as string);
  // A leading = + - @ would run as a formula in a spreadsheet: prefix it with a quote.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value !== 'number' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function deliveriesCsv(rows: readonly DeliveryRecord[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) {
    lines.push(
      columns
        .map((c) =>
          csvField(c === 'updatedAt' && row.updatedAt ? new Date(row.updatedAt).toISOString() : row[c]),
        )
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function resultsJson(detail: CampaignDetail, deliveries: readonly DeliveryRecord[]): string {
  const { message: _message, ...summary } = detail;
  // The message itself stays out: it may carry personal data; the export is about delivery.
  return JSON.stringify({ campaign: summary, deliveries }, null, 2);
}

export function exportFileName(detail: CampaignDetail, format: ExportFormat): string {
  const slug = detail.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'campaign';
  return `pushdeck-${detail.id}-${slug}.${format}`;
}

export async function exportResults(detail: CampaignDetail, format: ExportFormat): Promise<number> {
  const deliveries = await readAllDeliveries(detail.id);
  const text = format === 'csv' ? deliveriesCsv(deliveries) : resultsJson(detail, deliveries);
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = exportFileName(detail, format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return deliveries.length;
}
