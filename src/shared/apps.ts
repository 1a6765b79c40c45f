// Contract of the apps feature (apps and their VAPID keys): channels, events and domain types.
// The private key never appears in any response type: it only ever travels renderer → main, on import.
import { z } from 'zod';
import { channel } from './channel.ts';
import {
  frequencyCapSchema,
  quietHoursSchema,
  timeZoneSchema,
  type AppDeliverySettings,
} from './delivery-time.ts';
import type { KeyProtectionStatus } from './doctor.ts';

export type KeyStorage = 'safe-storage' | 'passphrase' | 'none';

export interface AppSummary {
  id: number;
  name: string;
  subject: string;
  createdAt: number;
  /** The current key: base64url public key, for applicationServerKey. */
  publicKey: string | null;
  keyId: number | null;
  keyCreatedAt: number | null;
  /** How the current private key is stored. */
  protection: KeyStorage | null;
  /** False when the current private key can be read by anyone who reads the database file. */
  protectedAtRest: boolean | null;
  fingerprint: string | null;
  /** Earlier keys, kept so that their subscriptions can still be sent to. */
  retiredKeys: number;
  /** Default time zone, quiet hours and frequency cap (delivery-time.ts). */
  delivery: AppDeliverySettings;
}

/** What replacing an app's key would leave behind. */
export interface RotationPreview {
  appId: number;
  app: string;
  currentFingerprint: string | null;
  /**
   * Active subscriptions that will not be bound to the new key — after a change, all of them: they can
   * only be sent to with their old keys until they subscribe again.
   */
  orphaned: number;
  /** Of those, the ones already bound to earlier keys before this change. */
  onRetiredKeys: number;
}

export interface RotationResult {
  app: AppSummary;
  retiredFingerprint: string | null;
  orphaned: number;
}

export interface ImportResult {
  app: AppSummary;
  created: boolean;
  /** Active subscriptions left on the replaced key (0 when the app is new). */
  orphaned: number;
}

export type KeyProtectionChoice = 'safe-storage' | 'passphrase';

export interface KeyProtectionInfo {
  status: KeyProtectionStatus;
  /** The chosen protection, or null where the environment decides it (the CLI). */
  choice: KeyProtectionChoice | null;
  /** Whether the system keychain (Electron safeStorage) can seal keys here. */
  keychainAvailable: boolean;
  /** Whether private keys can be used right now (a passphrase is needed and not entered yet: false). */
  unlocked: boolean;
  keysByStorage: Record<KeyStorage, number>;
}

const appNameRule = 'An app name must be 1 to 80 characters, like "example.com".';
export const appNameSchema = z.string().trim().min(1, appNameRule).max(80, appNameRule);
const appId = z.number().int().positive();

export const appDeliveryUpdateSchema = z
  .object({
    appId,
    defaultTimeZone: timeZoneSchema.nullable().optional(),
    quietHours: quietHoursSchema.nullable().optional(),
    frequencyCap: frequencyCapSchema.partial().optional(),
    alertsIgnoreQuietHours: z.boolean().optional(),
  })
  .strict();
export type AppDeliveryUpdate = z.input<typeof appDeliveryUpdateSchema>;

/** Setup help for the app's website: its service worker, and the subscribe code with its public key. */
export interface SetupSnippets {
  serviceWorker: string;
  subscribe: string;
}

export const appsChannels = {
  'apps.list': channel(z.object({}).strict()).returns<AppSummary[]>(),
  /** One app by name (as the CLI's --app names it) or id. */
  'apps.snippet': channel(z.object({ appId }).strict(), { on: 'query' }).returns<SetupSnippets>(),
  'apps.get': channel(z.object({ app: z.union([appId, z.string().min(1)]) }).strict()).returns<AppSummary>(),
  'apps.create': channel(z.object({ name: appNameSchema, subject: z.string() }).strict(), {
    changes: ['apps'],
  }).returns<AppSummary>(),
  'apps.setSubject': channel(z.object({ appId, subject: z.string() }).strict(), {
    changes: ['apps'],
  }).returns<AppSummary>(),
  /** Changes only the fields given; null turns a setting off. */
  'apps.setDelivery': channel(appDeliveryUpdateSchema, { changes: ['apps'] }).returns<AppSummary>(),
  /** Deletes the app, its keys and its subscribers; the name must be typed again to confirm. */
  'apps.delete': channel(z.object({ appId, confirmName: z.string() }).strict(), {
    changes: ['apps', 'subscriptions', 'campaigns'],
  }).returns<{ deleted: string }>(),
  /** Either a public/private pair, or the text of a .env file or of `web-push generate-vapid-keys --json`. */
  'keys.import': channel(
    z
      .object({
        app: appNameSchema,
        publicKey: z.string().max(200).optional(),
        privateKey: z.string().max(200).optional(),
        text: z.string().max(100_000).optional(),
        subject: z.string().optional(),
        /** Replacing an existing app's key orphans its subscribers: the caller states how many it accepts. */
        confirmOrphaned: z.number().int().nonnegative().optional(),
      })
      .strict(),
    { changes: ['apps', 'subscriptions'] },
  ).returns<ImportResult>(),
  'keys.rotationPreview': channel(z.object({ appId }).strict()).returns<RotationPreview>(),
  /** confirmOrphaned must equal the preview's count: if subscribers arrived since, the user is asked again. */
  'keys.rotate': channel(z.object({ appId, confirmOrphaned: z.number().int().nonnegative() }).strict(), {
    changes: ['apps', 'subscriptions'],
  }).returns<RotationResult>(),
  /** Main asks where to save and writes the file itself: the private key never comes back over IPC. */
  'keys.exportPrivate': channel(
    z.object({ appId, format: z.enum(['env', 'json']), confirm: z.literal(true) }).strict(),
  ).returns<{ saved: boolean; path: string | null; fingerprint: string }>(),
  /**
   * The command line's `keys export`: the public key, or the whole pair, as .env or JSON text, recorded in
   * the audit log. Only the pushdeck command may call it (it answers with the private key): with `out` (a
   * path typed on the command line) the handler writes the file itself, mode 600, and answers no text.
   */
  'keys.exportText': channel(
    z
      .object({
        app: z.union([appId, z.string().min(1)]),
        part: z.enum(['public', 'private']),
        format: z.enum(['env', 'json']),
        out: z.string().min(1).optional(),
      })
      .strict(),
    { from: 'cli' },
  ).returns<{ text: string | null; path: string | null }>(),
  'keys.protection': channel(z.object({}).strict()).returns<KeyProtectionInfo>(),
  /** Switches how keys are sealed and re-seals the stored keys that can be opened. */
  'keys.setProtection': channel(
    z
      .object({ choice: z.enum(['safe-storage', 'passphrase']), passphrase: z.string().max(1024).optional() })
      .strict(),
    { changes: ['doctor', 'apps'] },
  ).returns<KeyProtectionInfo & { resealed: number; notResealed: number }>(),
  /** Re-seals every passphrase-sealed key with `next`; all must open with `current`, or nothing changes. */
  'keys.changePassphrase': channel(
    z.object({ current: z.string().max(1024), next: z.string().max(1024) }).strict(),
    { changes: ['doctor', 'apps', 'audit'] },
  ).returns<KeyProtectionInfo & { resealed: number }>(),
  'keys.unlock': channel(z.object({ passphrase: z.string().max(1024) }).strict(), {
    changes: ['doctor', 'apps'],
  }).returns<KeyProtectionInfo>(),
};

export const appsEvents = {};
