// The closing line counts every failure: fixture runs in child processes, each with the summary reporter.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from './summary-reporter.ts';

const config = path.resolve('test/fixtures/summary-reporter/vitest.config.ts');
const vitest = path.resolve('node_modules/vitest/vitest.mjs');

function runFixtures(pattern: string): Promise<{ code: number; lastLine: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitest, 'run', '--config', config],
      { env: { ...process.env, SUMMARY_FIXTURES: pattern, CI: 'true' }, timeout: 60_000 },
      (error, stdout) => {
        const lines = stdout.trim().split('\n');
        resolve({ code: error ? Number(error.code ?? 1) : 0, lastLine: lines[lines.length - 1] ?? '' });
      },
    );
  });
}

describe('summary reporter', () => {
  it('counts tests whose beforeAll failed, a file that failed to import and an unhandled error as failures', async () => {
    const [all, hook, importError, unhandled, passing] = await Promise.all([
      runFixtures('*.fixture.ts'),
      runFixtures('failing-hook.fixture.ts'),
      runFixtures('import-error.fixture.ts'),
      runFixtures('unhandled.fixture.ts'),
      runFixtures('passing.fixture.ts'),
    ]);
    // passing (2) + unhandled's test (1) pass; the hook's 2 tests, the import error, the leaked rejection and
    // the failing test fail; only the it.skip is skipped.
    expect(all).toEqual({ code: 1, lastLine: '3 passed, 5 failed, 1 skipped' });
    expect(hook).toEqual({ code: 1, lastLine: '0 passed, 2 failed, 0 skipped' });
    expect(importError).toEqual({ code: 1, lastLine: '0 passed, 1 failed, 0 skipped' });
    expect(unhandled).toEqual({ code: 1, lastLine: '1 passed, 1 failed, 0 skipped' });
    expect(passing).toEqual({ code: 0, lastLine: '2 passed, 0 failed, 0 skipped' });
  });

  it('never closes a failed run on "0 failed"', () => {
    expect(summarize([], [], 'failed')).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(summarize([], [], 'passed')).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});
