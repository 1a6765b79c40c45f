// bench:ui's main process: the real handler table and query threads over the bench's database in a process of
// their own, as Electron's main process is, so that the main loop's stalls and the RSS the bench reports are
// the app's and not also Playwright's (which runs the window from the parent, test/bench/ui.ts). The window's
// calls and main's events cross the fork's IPC channel with structured clone ('advanced' serialization), as
// Electron's ipcMain/ipcRenderer clone theirs (electronjs.org/docs/latest/tutorial/ipc: "Structured Clone
// Algorithm"). Also runs the probes of each measurement and the few set-up steps the bench does as main.
import { createCampaign } from '../../src/main/core/campaigns/campaigns.ts';
import { startBackend } from '../support/app-backend.ts';
import { startStallProbe, type StallFigures } from '../support/main-loop-stall.ts';

/** What the parent asks (ui.ts `app`); each answered by `{ id, result }` or `{ id, error }`. */
export type AppRequest =
  | { kind: 'invoke'; channel: unknown; input: unknown }
  | { kind: 'registerFile'; file: unknown }
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
backend.onEvent((event, payload) => send({ event, payload }));

let probe: { stop(): StallFigures } | null = null;
let sampler: NodeJS.Timeout | null = null;
let rssBefore = 0;
let peakRss = 0;

async function answer(request: AppRequest): Promise<unknown> {
  switch (request.kind) {
    case 'invoke':
      return backend.invoke(request.channel, request.input);
    case 'registerFile':
      return backend.registerFile(request.file);
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
send({ ready: process.memoryUsage().rss / 2 ** 20 });
