// Encrypts batches of messages, in this thread or in a pool of threads. ECDH and AES-GCM are most of a
// send's CPU; spreading them over a second core lets one sending thread own the database and the sockets
// (two threads writing one SQLite file wait on each other's locks).
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../workers.ts';
import { encryptBatch, type EncryptItem, type EncryptResult } from './encrypt-batch.ts';

export type { EncryptItem, EncryptResult } from './encrypt-batch.ts';

export interface Encryptor {
  encrypt(items: EncryptItem[]): Promise<EncryptResult[]>;
  close(): Promise<void>;
}

export function inlineEncryptor(): Encryptor {
  return {
    encrypt: (items) => Promise.resolve(encryptBatch(items)),
    close: () => Promise.resolve(),
  };
}

interface Pending {
  resolve: (results: EncryptResult[]) => void;
  reject: (error: Error) => void;
}

export interface PoolOptions {
  /**
   * Run the threads at nice 10 (Linux), behind the main process's event loop. Background work (a dry run)
   * asks for it; a send does not: the person waits for it, its sending thread runs at normal priority and
   * waits for these threads, and on a busy machine nice 10 slowed every real send (issue 16).
   */
  lowPriority?: boolean;
}

/** `threads` encryption threads; batches go to the least busy one. */
export function encryptionPool(threads: number, options: PoolOptions = {}): Encryptor {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(workerUrl(import.meta.url, 'encrypt-worker'), {
      workerData: { lowPriority: options.lowPriority ?? true },
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    const state = { worker, busy: 0 };
    worker.on('message', (msg: { id: number; results: EncryptResult[] }) => {
      state.busy -= 1;
      const entry = pending.get(msg.id);
      pending.delete(msg.id);
      entry?.resolve(msg.results);
    });
    worker.on('error', (error) => {
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    });
    worker.unref();
    return state;
  });
  return {
    encrypt(items) {
      const id = nextId++;
      const target = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      target.busy += 1;
      return new Promise<EncryptResult[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.worker.postMessage({ id, items });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
