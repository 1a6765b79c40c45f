// bench:ui's main process: the real handler table and query threads over the bench's database in a process of
// their own, as Electron's main process is, so that the main loop's stalls and the RSS the bench reports are
// the app's and not also Playwright's (which drives the window from the parent, test/bench/ui.ts). It serves
// the renderer, and the window's `window.api` talks to it over one WebSocket (ui-window.ts): a call and its
// answer cross in well under a millisecond, as over Electron's IPC, where a Playwright binding's round trip
// took 5-10 ms and up to 160 ms for 26 at once (the e2e tests' path, fine for them, not for timings).
// The parent asks for the probes of each measurement and the few set-up steps the bench does as main over
// the fork's IPC channel.
import { WebSocketServer } from 'ws';
import { createCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { startBackend } from '../support/app-backend.ts';
import { startStallProbe, type StallFigures } from '../support/main-loop-stall.ts';
import { serveRenderer } from '../support/renderer-server.ts';
import { BENCH_API_PATH, type WindowAnswer, type WindowCall } from './ui-window.ts';

/** What the parent asks (ui.ts `app`); each answered by `{ id, result }` or `{ id, error }`. */
export type AppRequest =
  | { kind: 'measureStart' }
  | { kind: 'measureStop' }
  | { kind: 'run'; sql: string; params: unknown[] }
  | { kind: 'createCampaign'; input: Parameters<typeof createCampaign>[1] }
  | { kind: 'close' };

export interface AppFigures extends StallFigures {
  rssBeforeMb: number;
  peakRssMb: number;
}

const [dbPath, exportFile] = process.argv.slice(2);
const send = (message: unknown) => process.send!(message);
const { backend, ctx, close } = startBackend({
  dbPath: dbPath!,
  context: { chooseSaveFile: () => Promise.resolve(exportFile!) },
});
const sockets = new WebSocketServer({ noServer: true });
const server = await serveRenderer((request, socket, head) => {
  if (request.url === BENCH_API_PATH)
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws));
  else socket.destroy();
});
sockets.on('connection', (ws) => {
  ws.on('message', (data: Buffer) => {
    const call = JSON.parse(data.toString('utf8')) as WindowCall;
    void Promise.resolve(backend.invoke(call.channel, call.input)).then((answer) =>
      ws.send(JSON.stringify({ id: call.id, answer } satisfies WindowAnswer)),
    );
  });
});
backend.onEvent((event, payload) => {
  const text = JSON.stringify({ event, payload } satisfies WindowAnswer);
  for (const ws of sockets.clients) ws.send(text);
});

let probe: { stop(): StallFigures } | null = null;
let sampler: NodeJS.Timeout | null = null;
let rssBefore = 0;
let peakRss = 0;

async function answer(request: AppRequest): Promise<unknown> {
  switch (request.kind) {
    case 'measureStart':
      rssBefore = peakRss = process.memoryUsage().rss;
      sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
      probe = startStallProbe();
      return null;
    case 'measureStop': {
      const stall = probe!.stop();
      clearInterval(sampler!);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return {
        ...stall,
        rssBeforeMb: rssBefore / 2 ** 20,
        peakRssMb: peakRss / 2 ** 20,
      } satisfies AppFigures;
    }
    case 'run':
      return Number(ctx.db.prepare(request.sql).run(...request.params).lastInsertRowid);
    case 'createCampaign':
      return createCampaign(ctx, request.input).campaign.id;
    case 'close':
      // The parent disconnects once answered; with the threads and the database closed, this process ends.
      sockets.close();
      await server.close();
      await close();
      return null;
  }
}

process.on('message', (message: { id: number; request: AppRequest }) => {
  answer(message.request).then(
    (result) => send({ id: message.id, result }),
    (error: Error) => send({ id: message.id, error: error.stack ?? error.message }),
  );
});
send({ ready: { url: server.url, rssMb: process.memoryUsage().rss / 2 ** 20 } });
