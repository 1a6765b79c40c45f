// Writes a campaign's results to a file: CSV (RFC 4180, one row per delivery) or JSON (the detail with its
// breakdowns, then every delivery). Deliveries are read in keyset pages, yielding between pages, so a
// million-row export keeps memory flat and never holds the connection busy for other requests.
import type { CampaignDetail, DeliveryRecord } from '../../../shared/campaigns.ts';
import type { ResultsExport, ResultsFormat } from '../../../shared/results-export.ts';
import { escapeControlChars } from '../../../shared/control-chars.ts';
import { campaignDetail, deliveriesPage } from '../campaigns/results.ts';
import { saveFileChooser, type CoreContext } from '../context.ts';
import { writeWholeFile } from '../file-replace.ts';

export const csvColumns = [
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
  // A timed campaign's zone and release (a skipped delivery's reason says 'frequency cap' or 'quiet hours').
  'timeZone',
  'releaseAt',
] as const satisfies readonly (keyof DeliveryRecord)[];

/**
 * RFC 4180 quoting; a text starting with = + - @ gets a leading quote so that no spreadsheet runs it, and
 * control characters (a push service's reason may hold terminal escapes) are written as \uXXXX.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = escapeControlChars(value);
  const safe = /^[=+\-@\t]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(d: DeliveryRecord): string {
  return csvColumns
    .map((c) =>
      csvField(
        c === 'updatedAt' || c === 'releaseAt' ? (d[c] === null ? null : new Date(d[c]).toISOString()) : d[c],
      ),
    )
    .join(',');
}

/** The campaign part of the JSON export: its breakdowns, not its message (which may hold personal data). */
export function campaignSummaryJson(detail: CampaignDetail): Omit<CampaignDetail, 'message'> {
  const { message: _message, ...rest } = detail;
  return rest;
}

const PAGE = 5000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeResultsFile(
  ctx: CoreContext,
  id: number,
  format: ResultsFormat,
  file: string,
): Promise<number> {
  const detail = campaignDetail(ctx, id);
  // Written beside the file and renamed over it once complete: a failure leaves what was there.
  return writeWholeFile(file, async (out) => {
    let rows = 0;
    out.write(
      format === 'csv'
        ? `${csvColumns.join(',')}\r\n`
        : `{\n"campaign": ${JSON.stringify(campaignSummaryJson(detail))},\n"deliveries": [\n`,
    );
    let after: number | undefined;
    for (;;) {
      const page = deliveriesPage(ctx, { id, after, limit: PAGE });
      const lines = page.items.map((d) => (format === 'csv' ? csvRow(d) : JSON.stringify(d)));
      if (lines.length) {
        const separator = format === 'csv' ? '\r\n' : ',\n';
        out.write(
          `${rows > 0 && format === 'json' ? separator : ''}${lines.join(separator)}${format === 'csv' ? '\r\n' : ''}`,
        );
      }
      rows += lines.length;
      if (page.nextAfter === null) break;
      after = page.nextAfter;
      await nextTurn();
    }
    if (format === 'json') out.write('\n]\n}\n');
    return rows;
  });
}

export function exportFileName(detail: { id: number; name: string }, format: ResultsFormat): string {
  const slug = detail.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'campaign';
  return `pushdeck-${detail.id}-${slug}.${format}`;
}

/** The desktop flow: ask where to save (the save dialog), then write the file from main. */
export async function saveResultsFile(
  ctx: CoreContext,
  id: number,
  format: ResultsFormat,
): Promise<ResultsExport> {
  const chooseSaveFile = saveFileChooser(ctx, 'EXPORT_UNAVAILABLE', 'pushdeck campaign export');
  const detail = campaignDetail(ctx, id);
  const file = await chooseSaveFile({
    title: `Save the results of ${detail.name}`,
    defaultName: exportFileName(detail, format),
  });
  if (!file) return { saved: false, path: null, rows: 0 };
  return { saved: true, path: file, rows: await writeResultsFile(ctx, id, format, file) };
}
