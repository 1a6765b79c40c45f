// Where the database lives: --db, then PUSHDECK_DB, then the same folder Electron uses as userData, so
// that the CLI and the desktop app open the same file by default.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Pushdeck';
export const DB_FILE_NAME = 'pushdeck.db';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32')
    return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  // XDG Base Directory: an empty or relative XDG_CONFIG_HOME is invalid and ignored, as if unset.
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'), APP_DIR_NAME);
}

export function resolveDbPath(
  options: { flag?: string | undefined; dataDir?: string | undefined },
  env = process.env,
): string {
  if (options.flag) return path.resolve(options.flag);
  // Set but empty counts as unset (`PUSHDECK_DB= pushdeck …`).
  if (env.PUSHDECK_DB) return path.resolve(env.PUSHDECK_DB);
  return path.join(options.dataDir ?? defaultDataDir(process.platform, env), DB_FILE_NAME);
}
