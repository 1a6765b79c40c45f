// Contract of the subscriptions feature (subscription lists: import, browse, tag, export): channels,
// events, domain types and the reasons a row of an import file can be rejected.
import { z } from 'zod';
import { channel, event } from './channel.ts';
import { pushServices, type PushService } from './compose.ts';
import { fieldConditionsSchema } from './field-filter.ts';
import { timeZoneSchema } from './delivery-time.ts';
import { fileTokenSchema } from './files.ts';

export const importFormats = ['json', 'ndjson', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const subscriptionStatuses = ['active', 'expired'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** Where each column of a CSV file goes: a known field, a custom field (kept in `fields`), or nowhere. */
export const columnTargets = [
  'endpoint',
  'p256dh',
  'auth',
  'tags',
  'label',
  'status',
  'created_at',
  'expiration_time',
  'timezone',
  'field',
  'ignore',
] as const;
export type ColumnTarget = (typeof columnTargets)[number];

/** Why a row was not imported. Stable codes; rejectReasonText says them in words. */
export const rejectReasons = {
  ROW_MALFORMED: 'not a subscription object (or not valid JSON)',
  ROW_TOO_LONG: 'the row is longer than 1 MB',
  ROW_TRUNCATED: 'the file ends in the middle of this row',
  ENDPOINT_MISSING: 'no endpoint',
  ENDPOINT_INVALID: 'the endpoint is not an absolute URL',
  ENDPOINT_NOT_HTTPS: 'the endpoint is not https (http is allowed for 127.0.0.1 and localhost only)',
  ENDPOINT_TOO_LONG: 'the endpoint is longer than 2048 characters',
  P256DH_MISSING: 'no p256dh key',
  P256DH_NOT_BASE64: 'the p256dh key is not base64 or base64url',
  P256DH_WRONG_LENGTH: 'the p256dh key is not 65 bytes',
  P256DH_NOT_UNCOMPRESSED: 'the p256dh key is not an uncompressed point (first byte 0x04)',
  P256DH_OFF_CURVE: 'the p256dh key is not a point on P-256',
  AUTH_MISSING: 'no auth secret',
  AUTH_NOT_BASE64: 'the auth secret is not base64 or base64url',
  AUTH_WRONG_LENGTH: 'the auth secret is not 16 bytes',
  EXPIRATION_INVALID: 'expiration_time is not a date or a number of milliseconds',
  CREATED_AT_INVALID: 'created_at is not a date or a number of milliseconds',
  STATUS_INVALID: 'status is neither active nor expired',
  TEXT_HAS_NUL:
    'the endpoint, a label, tag or custom field holds a NUL character (U+0000), which a CSV export could not carry back: remove it',
} as const;
export type RejectReason = keyof typeof rejectReasons;

/** Why a row's time zone was not stored (the row itself is imported, without a zone). */
export const timeZoneNotices = {
  TIMEZONE_UNKNOWN: 'looks like a zone name, but no IANA zone of that name is known',
  TIMEZONE_INVALID: 'not a time zone name (an IANA name such as Europe/Berlin)',
} as const;
export type TimeZoneNotice = keyof typeof timeZoneNotices;

export interface ImportTimeZones {
  /** Rows stored with a zone. */
  set: number;
  /** Rows whose zone was not understood (imported without one). */
  notices: number;
  byReason: Partial<Record<TimeZoneNotice, number>>;
  /** The first 100 of them. */
  samples: { row: number; value: string; reason: TimeZoneNotice }[];
}

export interface ImportReject {
  /** Line of the file where the row starts (CSV, NDJSON), or the position in the array (JSON, from 1). */
  row: number;
  reason: RejectReason;
}

/** What an import has done so far (its progress) or in all (its summary). */
export interface ImportCounts {
  /** Rows read from the file (accepted or not). */
  rows: number;
  inserted: number;
  updated: number;
  /** Rows whose endpoint was already in the list (or earlier in the file) with nothing new to store. */
  duplicates: number;
  rejected: number;
}

export interface ImportSummary extends ImportCounts {
  format: ImportFormat;
  /** Rejected rows, at most the first 10,000 (all of them go to a rejects file). */
  rejects: ImportReject[];
  rejectsByReason: Partial<Record<RejectReason, number>>;
  /** Time zones read from the `timezone` / `tz` / `time_zone` column or key. */
  timeZones: ImportTimeZones;
  cancelled: boolean;
  /** Set when the file stopped being readable before its end; the rows before that point are in. */
  notice: string | null;
  durationMs: number;
}

export interface ImportProgress extends ImportCounts {
  importId: string;
  bytes: number;
  totalBytes: number | null;
}

/** A bulk action that writes in chunks; its progress is reported after each chunk but the last. */
export type BulkAction = 'tag' | 'delete' | 'restore' | 'emptyTrash';

export interface BulkProgress {
  appId: number;
  action: BulkAction;
  /** Subscriptions the action has gone through so far, of `total`. */
  done: number;
  total: number;
}

export interface ImportPreview {
  format: ImportFormat;
  /** CSV only: the header row and where each column would go. */
  columns: { name: string; target: ColumnTarget }[];
  /** Fields that no column provides (an import needs endpoint, p256dh and auth). */
  missing: ('endpoint' | 'p256dh' | 'auth')[];
  /** Up to five first rows, as strings, to help the user map columns. */
  sample: string[][];
}

/** What the window imports: a file by its token (files.ts), or the text itself. Never a path. */
export const importSourceSchema = z.union([
  z.object({ file: fileTokenSchema }).strict(),
  z.object({ text: z.string(), fileName: z.string().max(260).optional() }).strict(),
]);
export type WindowImportSource = z.infer<typeof importSourceSchema>;
/** What the core imports: a path (the CLI's, or the one main keeps behind a token), or text. */
export type ImportSource = { path: string } | Extract<WindowImportSource, { text: string }>;

export const columnMappingSchema = z.record(z.string(), z.enum(columnTargets));
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const tagNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tag) => !/[;|,\n\r]/.test(tag), 'a tag cannot contain ; | , or line breaks');

export const importRequestSchema = z
  .object({
    importId: z.string().min(1).max(80),
    appId: z.number().int(),
    source: importSourceSchema,
    format: z.enum(importFormats).optional(),
    tags: z.array(tagNameSchema).max(20).optional(),
    mapping: columnMappingSchema.optional(),
  })
  .strict();
/** An import as the core runs it: the window's tokens turned into paths by main. */
export type ImportRequest = Omit<z.infer<typeof importRequestSchema>, 'source'> & {
  source: ImportSource;
  rejectsPath?: string | undefined;
};

export const timeZoneFilterSchema = z.array(z.string().max(64).nullable()).max(1000);

/** Which subscriptions a list, count, export or bulk action applies to. */
export const subscriptionFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    tags: z.array(z.string()).max(20).optional(),
    pushServices: z.array(z.enum(pushServices)).optional(),
    status: z.enum(subscriptionStatuses).optional(),
    /** The trash: deleted subscriptions instead of the list. */
    deleted: z.boolean().optional(),
    /** Custom fields equal to these values (`city = Berlin`). */
    fields: fieldConditionsSchema.optional(),
    /** In one of these zones; null = no zone of its own (the app's default applies). */
    timeZones: timeZoneFilterSchema.optional(),
  })
  .strict();
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;

export const subscriptionSorts = [
  'newest',
  'oldest',
  'endpoint',
  'label',
  'status',
  'pushService',
  'lastAttempt',
] as const;
export type SubscriptionSort = (typeof subscriptionSorts)[number];

export const PAGE_SIZE = 100;

export interface SubscriptionRow {
  id: number;
  endpoint: string;
  label: string | null;
  tags: string[];
  pushService: PushService;
  status: SubscriptionStatus;
  createdAt: number;
  lastStatus: number | null;
  lastReason: string | null;
  lastAttemptAt: number | null;
  deletedAt: number | null;
  /** IANA time zone; null = the app's default zone. */
  timeZone: string | null;
}

export interface SubscriptionDetail extends SubscriptionRow {
  p256dh: string;
  auth: string;
  fields: Record<string, string>;
  expirationTime: number | null;
  updatedAt: number;
  lastSuccessAt: number | null;
  failureCount: number;
  keyId: number | null;
  /** The last campaigns that had this subscription in their audience, newest first. */
  deliveries: SubscriptionDelivery[];
}

export interface SubscriptionDelivery {
  campaignId: number;
  campaignName: string;
  state: string;
  httpStatus: number | null;
  reason: string | null;
  updatedAt: number | null;
}

/** A selection is either explicit ids or everything that matches a filter. */
export const selectionSchema = z.union([
  z.object({ ids: z.array(z.number().int()).min(1).max(100_000) }).strict(),
  z.object({ filter: subscriptionFilterSchema }).strict(),
]);
export type Selection = z.infer<typeof selectionSchema>;

export const exportFormatSchema = z.enum(importFormats);

const appScoped = { appId: z.number().int() };
/** The app's subscriptions a filter selects. */
const filtered = { ...appScoped, filter: subscriptionFilterSchema };
/** What an export writes: the list the filter shows, in a format. */
const listExportSchema = z.object({ ...filtered, format: exportFormatSchema });

export const subscriptionsChannels = {
  'subscriptions.import.preview': channel(
    z.object({ source: importSourceSchema, format: z.enum(importFormats).optional() }).strict(),
  ).returns<ImportPreview>(),
  'subscriptions.import': channel(importRequestSchema).returns<ImportSummary>(),
  'subscriptions.import.cancel': channel(z.object({ importId: z.string() }).strict()).returns<{
    cancelled: boolean;
  }>(),
  'subscriptions.page': channel(
    z
      .object({
        ...filtered,
        sort: z.enum(subscriptionSorts),
        page: z.number().int().min(0),
        /** Rows per page (PAGE_SIZE when not said): `pushdeck subs list --limit` asks for more at once. */
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    { on: 'query' },
  ).returns<{ rows: SubscriptionRow[] }>(),
  /**
   * How many the filter selects. With `upTo`, a search may stop counting past that many: `capped` then says
   * more match than `count` (= upTo); ask again without it for the exact number.
   */
  'subscriptions.count': channel(
    z.object({ ...filtered, upTo: z.number().int().min(1).optional() }).strict(),
    { on: 'query' },
  ).returns<{ count: number; capped?: boolean }>(),
  'subscriptions.facets': channel(z.object(appScoped).strict(), { on: 'query' }).returns<{
    /** Every tag name of the app, for the filters. */
    tags: string[];
    /** Subscriptions in the trash. */
    trash: number;
    /** Live subscriptions per zone (null: no zone of their own), most first. */
    timeZones: { timeZone: string | null; count: number }[];
  }>(),
  'subscriptions.setTimeZone': channel(
    z.object({ ...appScoped, id: z.number().int().positive(), timeZone: timeZoneSchema.nullable() }).strict(),
    { changes: ['subscriptions'] },
  ).returns<SubscriptionDetail>(),
  'subscriptions.detail': channel(z.object({ ...appScoped, id: z.number().int() }).strict(), {
    on: 'query',
  }).returns<SubscriptionDetail>(),
  'subscriptions.tag': channel(
    z
      .object({
        ...appScoped,
        selection: selectionSchema,
        add: z.array(tagNameSchema).max(20).optional(),
        remove: z.array(z.string()).max(20).optional(),
      })
      .strict(),
    { on: 'query', changes: ['subscriptions'] },
  ).returns<{ count: number }>(),
  /** Moves subscriptions to the trash; `restore` brings them back. */
  'subscriptions.delete': channel(z.object({ ...appScoped, selection: selectionSchema }).strict(), {
    on: 'query',
    changes: ['subscriptions'],
  }).returns<{ count: number; deletedAt: number }>(),
  'subscriptions.restore': channel(
    z
      .object({
        ...appScoped,
        selection: selectionSchema.optional(),
        /** Undo: restores what one delete put in the trash. */
        deletedAt: z.number().int().optional(),
      })
      .strict(),
    { on: 'query', changes: ['subscriptions'] },
  ).returns<{ count: number }>(),
  'subscriptions.trash.empty': channel(z.object(appScoped).strict(), {
    on: 'query',
    changes: ['subscriptions', 'campaigns'],
  }).returns<{ count: number }>(),
  /**
   * Stops the app's bulk action under way (tag, delete, restore, empty the trash) after its current chunk;
   * the action then fails with BULK_STOPPED, what it had done kept. Answered on main, beside the bulk lane.
   */
  'subscriptions.bulk.cancel': channel(z.object(appScoped).strict()).returns<{ asked: boolean }>(),
  /** The ids of the subscriptions with these endpoints (null where none has it); only in the list or the trash if said. */
  'subscriptions.findByEndpoint': channel(
    z
      .object({
        ...appScoped,
        endpoints: z.array(z.string().min(1)).min(1).max(100_000),
        inTrash: z.boolean().optional(),
      })
      .strict(),
  ).returns<{ ids: (number | null)[] }>(),
  /**
   * `pushdeck subs import FILE`: as subscriptions.import, from a path typed on the command line (the window
   * names files by token only, so it may not call this one); progress as `subscriptions.import.progress`.
   */
  'subscriptions.importPath': channel(
    importRequestSchema
      .omit({ source: true, importId: true })
      .extend({ path: z.string().min(1), rejectsPath: z.string().min(1).optional() })
      .strict(),
    { from: 'cli' },
  ).returns<ImportSummary>(),
  /** `pushdeck subs export FILE`: the list written to a path typed on the command line, in this thread. */
  'subscriptions.exportPath': channel(listExportSchema.extend({ path: z.string().min(1) }).strict(), {
    from: 'cli',
  }).returns<{ count: number }>(),
  /**
   * Main asks where to save (its save dialog) and streams the list to that file on a thread of its own,
   * row by row; progress comes as `subscriptions.export.progress`. The window never names a path.
   */
  'subscriptions.export': channel(
    listExportSchema
      .extend({
        /** Names the export, for its progress events and `subscriptions.export.cancel`. */
        exportId: z.string().min(1).max(100).optional(),
      })
      .strict(),
  ).returns<ListExport>(),
  'subscriptions.export.cancel': channel(
    z.object({ exportId: z.string().min(1).max(100) }).strict(),
  ).returns<{ cancelled: boolean }>(),
};

export interface ListExport {
  /** False when the user closed the save dialog without choosing a file. */
  saved: boolean;
  /** Stopped on request: no file was left behind. */
  cancelled: boolean;
  count: number;
  path: string | null;
}

export interface ExportProgress {
  exportId: string | null;
  appId: number;
  done: number;
  total: number;
}

export const subscriptionsEvents = {
  /** A list export's rows written so far, at most 10 times a second. */
  'subscriptions.export.progress': event<ExportProgress>(),
  'subscriptions.import.progress': event<ImportProgress>(),
  'subscriptions.bulk.progress': event<BulkProgress>(),
};

export function rejectReasonText(reason: RejectReason): string {
  return rejectReasons[reason];
}
