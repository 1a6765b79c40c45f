// A dry run: builds every message of an audience without sending any, and reports what would be sent and
// what would be refused before it leaves (payload too large, broken keys, bad endpoints). Every recipient's
// endpoint, keys (exactly: a point on P-256, a 16-byte secret) and payload are checked, which is all that
// can make an encryption fail; by default one message in ENCRYPT_EVERY is also encrypted, as a sample of
// the real work, and `encrypt: 'all'` encrypts every one (ECDH per message: minutes at a million). It reads
// the audience in keyset chunks and hands the encryption to an Encryptor (the encryption threads in the app:
// dry-run-thread.ts), reporting its progress and stopping between chunks when asked.
import type { DryRunProgress, DryRunReport } from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { isPushdeckError, PushdeckError } from '../../../shared/errors.ts';
import { audienceSql } from '../compose/audience.ts';
import type { Db } from '../db/database.ts';
import { buildPayload } from '../payload/build.ts';
import { checkPayloadSize, subscriptionKeys, WARN_PLAINTEXT_BYTES } from '../push/encryption.ts';
import type { EncryptItem, EncryptResult, Encryptor } from '../push/encryptor.ts';
import { splitEndpoint } from '../push/request.ts';
import { isOnP256 } from '../subscriptions/import/subscriber-keys.ts';

const MAX_REJECTS_LISTED = 200;
/** Rows per chunk: one encryption batch, and the step at which progress is told and a cancel is seen. */
const CHUNK_ROWS = 256;
/** Chunks handed to the encryptor before waiting for the oldest: keeps every encryption thread busy. */
const CHUNKS_IN_FLIGHT = 4;
/** Without `encrypt: 'all'`, every this-many-th recipient's message is encrypted as well as checked. */
export const ENCRYPT_EVERY = 100;

/** Which messages a dry run encrypts besides checking them all: a sample (the default) or every one. */
export type DryRunEncrypt = 'sample' | 'all';

/** How far a run has got: recipients checked of the audience. */
export type DryRunStep = Omit<DryRunProgress, 'runId'>;

export interface DryRunOptions {
  /** The encryptor for about this many messages (threads for many, in place for a few). */
  encryptorFor: (messages: number) => Encryptor;
  /** After each chunk. */
  onProgress?: (progress: DryRunStep) => void;
  /** Asked between chunks; true stops the run, whose report then says `cancelled`. */
  cancelled?: () => boolean;
  encrypt?: DryRunEncrypt;
}

/**
 * What encrypting would refuse, found without encrypting: the sizes subscriptionKeys checks, then the point
 * on the curve (what ECDH's computeSecret refuses), then the payload's size. Throws as encryptPayload does.
 */
function checkEncryptable(payload: Uint8Array, p256dh: string, auth: string): void {
  const keys = subscriptionKeys(p256dh, auth);
  if (!isOnP256(keys.p256dh)) {
    throw new PushdeckError(
      'SUBSCRIPTION_INVALID_KEY',
      'The subscription’s p256dh key is not on the P-256 curve.',
    );
  }
  checkPayloadSize(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
}

type Row = [
  id: number,
  endpoint: string,
  p256dh: string,
  auth: string,
  pushService: string,
  label: string | null,
  fields: string | null,
];

interface Chunk {
  rows: Row[];
  /** Per row: why it is refused before encryption, or the index of its item in `items`. */
  outcome: Array<string | number | null>;
  results: Promise<EncryptResult[]>;
}

function reasonOf(error: unknown): string {
  return isPushdeckError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
}

export async function dryRun(
  db: Db,
  appId: number,
  message: MessageSpec,
  audience: AudienceFilter,
  options: DryRunOptions,
): Promise<DryRunReport> {
  const { where, params } = audienceSql(appId, audience);
  const total = db
    .prepare(`SELECT COUNT(*) FROM subscriptions s WHERE ${where}`)
    .pluck()
    .get(...params) as number;
  const chunkOf = db
    .prepare(
      `SELECT s.id, s.endpoint, s.p256dh, s.auth, s.push_service, s.label, s.fields FROM subscriptions s
       WHERE ${where} AND s.id > ? ORDER BY s.id LIMIT ${CHUNK_ROWS}`,
    )
    .raw();
  const encryptAll = options.encrypt === 'all';
  const encryptor = options.encryptorFor(encryptAll ? total : Math.ceil(total / ENCRYPT_EVERY));
  let seen = 0;
  const report: DryRunReport = {
    recipients: 0,
    encrypted: 0,
    refused: 0,
    cancelled: false,
    byPushService: {},
    largestPayloadBytes: 0,
    warnings: [],
    rejects: [],
  };
  const refuse = (row: Row, reason: string) => {
    report.refused += 1;
    if (report.rejects.length < MAX_REJECTS_LISTED) {
      report.rejects.push({ subscriptionId: row[0], endpoint: row[1], reason });
    }
  };

  const start = (rows: Row[]): Chunk => {
    const items: EncryptItem[] = [];
    const outcome: Chunk['outcome'] = rows.map(([, endpoint, p256dh, auth, , label, fields]) => {
      try {
        splitEndpoint(endpoint);
        const payload = buildPayload(message, {
          label,
          fields: fields ? (JSON.parse(fields) as Record<string, unknown>) : null,
        });
        if (!payload) return null;
        report.largestPayloadBytes = Math.max(report.largestPayloadBytes, payload.length);
        if (!encryptAll && seen++ % ENCRYPT_EVERY !== 0) {
          checkEncryptable(payload, p256dh, auth);
          return null;
        }
        items.push({ plaintext: payload, p256dh, auth });
        return items.length - 1;
      } catch (error) {
        return reasonOf(error);
      }
    });
    return { rows, outcome, results: items.length > 0 ? encryptor.encrypt(items) : Promise.resolve([]) };
  };
  const finish = async (chunk: Chunk) => {
    const results = await chunk.results;
    chunk.rows.forEach((row, i) => {
      report.recipients += 1;
      report.byPushService[row[4]] = (report.byPushService[row[4]] ?? 0) + 1;
      const outcome = chunk.outcome[i]!;
      if (typeof outcome === 'string') refuse(row, outcome);
      else if (outcome !== null && results[outcome]?.error) refuse(row, results[outcome].error);
      else if (outcome !== null) report.encrypted += 1;
    });
    options.onProgress?.({ done: report.recipients, total });
  };

  const inFlight: Chunk[] = [];
  let after = 0;
  for (;;) {
    if (options.cancelled?.()) {
      report.cancelled = true;
      break;
    }
    const rows = chunkOf.all(...params, after) as Row[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1]![0];
    inFlight.push(start(rows));
    if (inFlight.length >= CHUNKS_IN_FLIGHT) await finish(inFlight.shift()!);
    // A turn of the event loop per chunk, so that a cancel sent to this thread is read even when the
    // encryption runs in place and answers at once.
    else await new Promise((resolve) => setImmediate(resolve));
  }
  for (const chunk of inFlight) await finish(chunk);
  await encryptor.close();

  if (report.largestPayloadBytes > WARN_PLAINTEXT_BYTES) {
    report.warnings.push(
      `The largest payload is ${report.largestPayloadBytes} bytes: Firefox on Android drops payloads above about ${WARN_PLAINTEXT_BYTES}.`,
    );
  }
  if (report.refused > report.rejects.length)
    report.warnings.push(
      `${report.refused} recipients would be refused; the first ${report.rejects.length} are listed.`,
    );
  if (report.cancelled)
    report.warnings.push(
      `Stopped after ${report.recipients} of ${total} recipients: the rest were not checked.`,
    );
  return report;
}
