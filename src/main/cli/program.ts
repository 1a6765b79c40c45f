// The CLI program: global options, exit codes (0 ok, 1 user error, 2 bad usage) and the commands.
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isPushdeckError, PushdeckError } from '../../shared/errors.ts';
import { resolveDbPath, withDoor, type Door, type HandlerOptions } from '../core/dispatch/in-process.ts';
import { registerAppCommands } from './commands/apps.ts';
import { registerCampaignExportCommand } from './commands/results-export.ts';
import { registerCampaignCommands } from './commands/campaigns.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerScheduleCommands } from './commands/schedule.ts';
import { registerSendCommand } from './commands/send.ts';
import { registerSegmentCommands } from './commands/segment.ts';
import { registerSettingsCommands } from './commands/settings.ts';
import { registerSubsCommands } from './commands/subs.ts';
import { registerTemplateCommands } from './commands/template.ts';
import { registerTestDeviceCommands } from './commands/test-device.ts';
import { cliCaller, type Call, type On } from './dispatcher.ts';
import { terminalSafe, type Output } from './output.ts';

export interface CoreOptions extends HandlerOptions {
  /** The file to write when the core asks where to save (`campaign export --out FILE`). */
  saveFile?: string;
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** What each command gets: its output channel and a way to open the database. */
export interface CommandEnv {
  output(): Output;
  /** Opens the database and calls the core through the dispatcher, as the window does, and hears its events. */
  withCore<T>(run: (call: Call, on: On) => Promise<T> | T, options?: CoreOptions): Promise<T>;
  /** The database file the command would open (--db, PUSHDECK_DB, the app's folder). */
  dbPath(): string;
  io: CliIo;
}

/** Commander's Command, whose subcommands are CliCommands too (createCommand), with an action in the core. */
export class CliCommand extends Command {
  override createCommand(name?: string): CliCommand {
    return new CliCommand(name);
  }

  /** The command's action through the core's door (env.withCore): `run` gets the call, then the arguments. */
  coreAction<A extends unknown[]>(env: CommandEnv, run: (call: Call, ...args: A) => Promise<void>): this {
    return this.action((...args: A) => env.withCore((call) => run(call, ...args)));
  }
}

export function pushdeckVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(rawIo: CliIo): CliCommand {
  const io = terminalSafe(rawIo);
  const program = new CliCommand('pushdeck');
  program
    .description('Pushdeck: send Web Push campaigns from your own machine.')
    .version(pushdeckVersion(), '-V, --version', 'print the version')
    .option('--db <path>', 'database file (default: PUSHDECK_DB, then the app data folder)')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError('(run pushdeck --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => io.stderr(s.replace(/\n$/, '')),
    });

  const env: CommandEnv = {
    io,
    output() {
      const opts = program.opts<GlobalOptions>();
      return { json: Boolean(opts.json), stdout: io.stdout, stderr: io.stderr };
    },
    dbPath() {
      return resolveDbPath({ flag: program.opts<GlobalOptions>().db }, io.env);
    },
    withCore(run, options) {
      return openDoor(options, (door) => run(cliCaller(door), door.on));
    },
  };

  /** The core's door on the command's database, as the CLI (actor 'cli'), closed when `use` is done. */
  function openDoor<T>(
    { saveFile, ...options }: CoreOptions = {},
    use: (door: Door) => Promise<T> | T,
  ): Promise<T> {
    const now = testClock(io.env);
    const runtime = { pushdeckVersion: pushdeckVersion(), electronVersion: null };
    return withDoor(
      {
        dbPath: env.dbPath(),
        actor: 'cli',
        runtime,
        ...(now ? { now } : {}),
        // A path given on the command line is the user's own choice, as the save dialog's answer is.
        ...(saveFile !== undefined ? { chooseSaveFile: () => Promise.resolve(saveFile) } : {}),
        // A run that fails after its start comes as campaigns.ended: the command following it says so.
        onRunError: () => undefined,
        ...options,
      },
      use,
    );
  }

  registerDoctor(program, env);
  registerDbCommands(program, env);
  registerAppCommands(program, env);
  registerSubsCommands(program, env);
  registerTestDeviceCommands(program, env);
  registerTemplateCommands(program, env);
  registerSegmentCommands(program, env);
  registerSendCommand(program, env);
  registerCampaignCommands(program, env);
  registerSettingsCommands(program, env);
  // After the campaign commands: these add schedule, unschedule, run-due and export to `pushdeck campaign`.
  registerScheduleCommands(program, env);
  registerCampaignExportCommand(program, env);
  return program;
}

/**
 * TEST ONLY: PUSHDECK_TEST_NOW=<ISO 8601 time> starts the core's clock (ctx.now) at that instant, ticking
 * in real time from there, so a test can run a local-time campaign's zones in child processes
 * (test/main/cli/local-time-kill.test.ts). Not for users: schedule with `campaign schedule` instead.
 */
function testClock(env: NodeJS.ProcessEnv): (() => number) | undefined {
  const text = env.PUSHDECK_TEST_NOW;
  if (!text) return undefined;
  const start = Date.parse(text);
  if (Number.isNaN(start))
    throw new PushdeckError('INVALID_INPUT', `PUSHDECK_TEST_NOW is not a time: ${text}`);
  const real = Date.now();
  return () => start + (Date.now() - real);
}

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: string[], rawIo: CliIo = defaultIo()): Promise<number> {
  const io = terminalSafe(rawIo);
  const program = buildProgram(io);
  // Subcommands inherit exitOverride and output settings.
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      // Commander prints its own errors; ours (usageError) are printed here.
      if (error.code === 'pushdeck.usage') io.stderr(`pushdeck: ${error.message}`);
      return 2;
    }
    if (isPushdeckError(error)) {
      // First line, capped: an error quoting a huge argument does not print it whole.
      io.stderr(`pushdeck: ${error.message.split('\n')[0]!.slice(0, 1000)}`);
      return 1;
    }
    io.stderr(`pushdeck: unexpected error: ${(error as Error).message}`);
    return 1;
  }
}

function defaultIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  };
}
