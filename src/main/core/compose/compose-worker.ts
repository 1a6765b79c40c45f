// The composer's thread: audience counts, previews, payload measures, drafts, templates and segments, on
// their own database connection. A first count over a million subscriptions builds its index here (most of
// a second) without holding up the main process, which keeps answering the window's other requests.
import { parentPort, workerData } from 'node:worker_threads';
import type { ChannelName } from '../../../shared/contract.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import type { RuntimeInfo } from '../context.ts';
import { lockedSealer } from '../keys/sealer.ts';
import { openContext } from '../open-context.ts';
import { composeHandlers } from './handlers.ts';
import type { ComposeThreadMessage, ComposeThreadRequest } from './compose-thread.ts';

export interface ComposeWorkerData {
  dbPath: string;
  runtime: RuntimeInfo;
}

const data = workerData as ComposeWorkerData;
const port = parentPort!;
const post = (message: ComposeThreadMessage) => port.postMessage(message);
const ctx = openContext({
  dbPath: data.dbPath,
  mustExist: true,
  runtime: data.runtime,
  // Nothing the composer does opens a private key.
  keySealer: lockedSealer(),
  events: { emit: (event, payload) => post({ type: 'event', event, payload }) },
});
const handlers = composeHandlers(ctx) as Record<string, (input: unknown) => unknown>;

port.on('message', (request: ComposeThreadRequest) => {
  void (async () => {
    try {
      const handler = handlers[request.channel satisfies ChannelName];
      if (!handler) throw new Error(`The compose thread has no handler for ${request.channel}.`);
      post({ type: 'result', id: request.id, ok: true, result: await handler(request.input) });
    } catch (error) {
      post({
        type: 'result',
        id: request.id,
        ok: false,
        error: isPushdeckError(error)
          ? { code: error.code, message: error.message }
          : { code: null, message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      });
    }
  })();
});
