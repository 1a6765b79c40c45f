// A vitest reporter that ends the run with one plain line, "N passed, N failed, N skipped", that CI logs
// and people can read without colour codes. Every failure counts: a test that never ran because its file
// or suite failed first (a beforeAll that throws, an import error) is a failed test, not a skipped one.
import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

/** True when the test's file, or a suite around it, reported an error of its own. */
function underFailedBlock(test: TestCase): boolean {
  for (let block: TestSuite | TestModule = test.parent; ; block = block.parent) {
    if (block.errors().length > 0) return true;
    if (block.type === 'module') return false;
  }
}

export function summarize(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<unknown>,
  reason: TestRunEndReason,
): Summary {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0 };
  for (const module of testModules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') summary.passed++;
      else if (state === 'failed' || underFailedBlock(test)) failedHere++;
      else summary.skipped++;
    }
    // A file that failed with no test to blame (an import error collects none) is one failure.
    if (failedHere === 0 && (module.errors().length > 0 || module.state() === 'failed')) failedHere = 1;
    summary.failed += failedHere;
  }
  summary.failed += unhandledErrors.length;
  // Whatever made the run fail, it must not close on "0 failed".
  if (reason === 'failed' && summary.failed === 0) summary.failed = 1;
  return summary;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    const { passed, failed, skipped } = summarize(testModules, unhandledErrors, reason);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
