// Timing for the benchmarks: one run's duration, the median of several, and the machine's load beside them.
import os from 'node:os';

/** Runs `run` once: its result and how long it took in ms. */
export function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** The median duration in ms of `times` runs (BENCH_VERBOSE=1 prints every sample). */
export function median(run: () => unknown, times = 7): number {
  const samples = Array.from({ length: times }, () => timed(run)[1]).sort((a, b) => a - b);
  if (process.env.BENCH_VERBOSE) console.log(samples.map((ms) => ms.toFixed(1)).join(' '));
  return samples[Math.floor(times / 2)]!;
}

/** The 1, 5 and 15 minute load averages, for a shared machine's figures. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
}
