// `pushdeck settings …`: the sending settings the app shows under Settings (proxy, request timeout).
import { printData, table, usageError } from '../output.ts';
import type { CliCommand, CommandEnv } from '../program.ts';
import type { SendingSettings } from '../../../shared/settings.ts';

function describe(settings: SendingSettings): string {
  return table([
    ['Proxy', settings.proxyUrl ?? 'none (HTTPS_PROXY / NO_PROXY from the environment apply)'],
    ['Request timeout', `${settings.timeoutSeconds} s`],
  ]);
}

export function registerSettingsCommands(program: CliCommand, env: CommandEnv): void {
  const settings = program
    .command('settings')
    .description('how sends reach push services: proxy and timeout');
  settings
    .command('show')
    .description('print the sending settings')
    .coreAction(env, async (call) => {
      const current = await call('settings.sending', {});
      printData(env.output(), current, () => describe(current));
    });
  settings
    .command('set')
    .description('change the sending settings')
    .option('--proxy <url>', 'send every push request through this http(s) proxy')
    .option('--no-proxy', 'send directly (HTTPS_PROXY / NO_PROXY from the environment still apply)')
    .option('--timeout <seconds>', 'default per-request timeout of new campaigns (1-600)')
    .action(async (options: { proxy?: string | false; timeout?: string }) => {
      const timeout = options.timeout === undefined ? undefined : Number(options.timeout);
      if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 1 && timeout <= 600)) {
        throw usageError('--timeout takes whole seconds from 1 to 600');
      }
      if (options.proxy === undefined && timeout === undefined) {
        throw usageError('give --proxy URL, --no-proxy or --timeout S');
      }
      await env.withCore(async (call) => {
        const saved = await call('settings.updateSending', {
          proxyUrl: options.proxy === undefined ? undefined : options.proxy === false ? null : options.proxy,
          timeoutSeconds: timeout,
        });
        printData(env.output(), saved, () => describe(saved));
      });
    });
}
