// Measures how long the main loop was held up while something ran: the wall-clock stall as an event-loop
// delay monitor sees it, and the part of it the loop's own thread spent running (Linux schedstat). On a
// shared machine most of a wall-clock stall can be time spent waiting for a core that other processes hold;
// the CPU part is what this process's own work on its main thread cost, and is what a test bounds.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const TICK_MS = 5;

export interface StallFigures {
  /** Longest delay of the event loop, wall clock (monitorEventLoopDelay). */
  maxStallMs: number;
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
  const timer = setInterval(() => {
    const now = schedstat();
    if (now && last) maxBusyNs = Math.max(maxBusyNs, now[0] - last[0]);
    last = now;
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      delay.disable();
      return {
        maxStallMs: delay.max / 1e6,
        maxBusyMs: last ? maxBusyNs / 1e6 : null,
      };
    },
  };
}
