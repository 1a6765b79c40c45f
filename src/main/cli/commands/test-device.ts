// `pushdeck test-device add`: serves the one-time page that makes a browser a test device of the app,
// prints its address and waits until a browser registers there (or 10 minutes pass, or Ctrl+C).
import { PushdeckError } from '../../../shared/errors.ts';
import type { TestDeviceRegistrationEnd } from '../../../shared/test-devices.ts';
import type { CliCommand, CommandEnv } from '../program.ts';

export function registerTestDeviceCommands(program: CliCommand, env: CommandEnv): void {
  const testDevice = program
    .command('test-device')
    .description('test devices: your own browsers, which "Send test" and --test-devices reach');

  testDevice
    .command('add')
    .description('open the printed address in a browser and click "Subscribe this browser" to add it')
    .requiredOption('--app <name>', 'the app')
    .action(async (opts: { app: string }) => {
      await env.withCore(async (call, on) => {
        const out = env.output();
        const { id: appId } = await call('apps.get', { app: opts.app });
        let ended: (end: TestDeviceRegistrationEnd) => void = () => undefined;
        const endOf = new Promise<TestDeviceRegistrationEnd>((resolve) => (ended = resolve));
        const stopListening = on('testDevices.ended', (end) => {
          if (end.appId === appId) ended(end);
        });
        const registration = await call('testDevices.add', { appId });
        const cancel = () => void call('testDevices.cancel', { appId }).catch(() => undefined);
        process.once('SIGINT', cancel);
        // --json: one JSON object a line, the address first (a script opens it), then how it ended.
        if (out.json) {
          out.stdout(JSON.stringify({ url: registration.url, expiresAt: registration.expiresAt }));
        } else {
          out.stdout(`Open this address in the browser to add, then click "Subscribe this browser":`);
          out.stdout(registration.url);
          out.stderr('Waiting for the browser (10 minutes at most; Ctrl+C stops)…');
        }
        const end = await endOf.finally(() => {
          process.off('SIGINT', cancel);
          stopListening();
        });
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
