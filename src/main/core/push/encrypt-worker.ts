// An encryption thread: turns batches of plaintexts into aes128gcm bodies for the sending thread.
import { parentPort, workerData } from 'node:worker_threads';
import { encryptBatch, type EncryptItem } from './encrypt-batch.ts';
import { lowerThreadPriority } from '../workers.ts';

if ((workerData as { lowPriority?: boolean } | null)?.lowPriority !== false) lowerThreadPriority();

parentPort!.on('message', (msg: { id: number; items: EncryptItem[] }) => {
  parentPort!.postMessage({ id: msg.id, results: encryptBatch(msg.items) });
});
