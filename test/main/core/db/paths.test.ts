// Where the database lives by default, with the environment set, unset, or set but empty.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDbPath } from '../../../../src/main/core/db/paths.ts';

const config = path.join(os.homedir(), '.config', 'Pushdeck');

describe('defaultDataDir', () => {
  it('uses XDG_CONFIG_HOME when it is an absolute path, ~/.config when it is unset, empty or relative', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/srv/conf' })).toBe('/srv/conf/Pushdeck');
    expect(defaultDataDir('linux', {})).toBe(config);
    // XDG Base Directory spec: an empty or relative value is invalid and ignored.
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' })).toBe(config);
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'conf' })).toBe(config);
  });

  it('never puts the database in the current folder for an empty variable', () => {
    const db = resolveDbPath({}, { XDG_CONFIG_HOME: '', PUSHDECK_DB: '' });
    expect(path.isAbsolute(db)).toBe(true);
    expect(db).toBe(path.join(config, 'pushdeck.db'));
    expect(defaultDataDir('win32', { APPDATA: '' })).toBe(
      path.join(os.homedir(), 'AppData', 'Roaming', 'Pushdeck'),
    );
  });
});
