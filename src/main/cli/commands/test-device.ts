// `pushdeck test-device add`: serves the one-time page that makes a browser a test device of the app,
// prints its address and waits until a browser registers there (or 10 minutes pass, or Ctrl+C).
import type { Command } from 'commander';
import { PushdeckError } from '../../../shared/errors.ts';
import { getApp } from '../../core/apps/apps.ts';
import { startTestDeviceRegistration } from '../../core/test-devices/registration-server.ts';
import type { CommandEnv } from '../program.ts';

export function registerTestDeviceCommands(program: Command, env: CommandEnv): void {
  const testDevice = program
    .command('test-device')
    .description('test devices: your own browsers, which "Send test" and --test-devices reach');

  testDevice
    .command('add')
    .description('open the printed address in a browser and click "Subscribe this browser" to add it')
    .requiredOption('--app <name>', 'the app')
    .action(async (opts: { app: string }) => {
      await env.withContext(async (ctx) => {
        const out = env.output();
        const registration = await startTestDeviceRegistration(ctx, getApp(ctx, opts.app).id);
        const cancel = () => void registration.cancel();
        process.once('SIGINT', cancel);
        // --json: one JSON object a line, the address first (a script opens it), then how it ended.
        if (out.json) {
          out.stdout(JSON.stringify({ url: registration.url, expiresAt: registration.expiresAt }));
        } else {
          out.stdout(`Open this address in the browser to add, then click "Subscribe this browser":`);
          out.stdout(registration.url);
          out.stderr('Waiting for the browser (10 minutes at most; Ctrl+C stops)…');
        }
        const end = await registration.ended.finally(() => process.off('SIGINT', cancel));
        if (end.state !== 'registered') {
          throw new PushdeckError(
            end.state === 'expired' ? 'TEST_DEVICE_EXPIRED' : 'TEST_DEVICE_CANCELLED',
            end.state === 'expired'
              ? 'No browser registered within 10 minutes: run pushdeck test-device add again.'
              : 'Stopped: no browser was added.',
          );
        }
        out.stdout(
          out.json
            ? JSON.stringify({ registered: end.device })
            : `Added test device #${end.device.id}: ${end.device.label}.`,
        );
      });
    });
}
