// Measures how long the main loop was held up while something ran: the wall-clock stall as an event-loop
// delay monitor sees it; the longest turn, in wall-clock time from its start to its end (event loop
// utilisation: a turn's work, and any preemption in the middle of it); and the part the loop's own thread
// spent running (Linux schedstat). On a shared machine most of a stall can be time spent waiting for a
// core before a turn even starts, which other processes cause; the longest turn is what a test bounds.
import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const TICK_MS = 5;

export interface StallFigures {
  /** Longest delay of the event loop, wall clock (monitorEventLoopDelay). */
  maxStallMs: number;
  /** The 99th percentile of those delays. */
  p99StallMs: number;
  /**
   * Longest turn of the loop in wall-clock time: the loop's active time between two of the probe's ticks
   * (a turn of 80 ms lies wholly between two ticks), leaving out the waits for a core while it was idle.
   */
  maxTurnMs: number;
  /** Longest turn of the loop counted in CPU time of its thread; null where /proc is missing. */
  maxBusyMs: number | null;
}

/** [ns on a CPU, ns waiting for one] of the calling thread (schedstat(5)); null where there is none. */
function schedstat(): [number, number] | null {
  try {
    const [run, wait] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return [Number(run), Number(wait)];
  } catch {
    return null;
  }
}

export function startStallProbe(): { stop(): StallFigures } {
  const delay = monitorEventLoopDelay({ resolution: TICK_MS });
  delay.enable();
  let last = schedstat();
  let maxBusyNs = 0;
  let utilisation = performance.eventLoopUtilization();
  let maxTurnMs = 0;
  const timer = setInterval(() => {
    const now = schedstat();
    if (now && last) maxBusyNs = Math.max(maxBusyNs, now[0] - last[0]);
    last = now;
    const since = performance.eventLoopUtilization(utilisation);
    maxTurnMs = Math.max(maxTurnMs, since.active);
    utilisation = performance.eventLoopUtilization();
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      delay.disable();
      return {
        maxStallMs: delay.max / 1e6,
        p99StallMs: delay.percentile(99) / 1e6,
        maxTurnMs,
        maxBusyMs: last ? maxBusyNs / 1e6 : null,
      };
    },
  };
}
