// A campaign's send options as its row stores them, read with today's defaults. A campaign saved before the
// adaptive limit has no per-origin cap and holds the old working concurrency of 64: that was the default,
// not a choice, so it gets today's caps instead of staying at 64 in flight.
import { sendOptionsSchema, type SendOptions } from '../../../shared/campaigns.ts';

/** What every campaign stored as its concurrency before the adaptive limit, unless told otherwise. */
const OLD_DEFAULT_CONCURRENCY = 64;

export function storedSendOptions(text: string): SendOptions {
  const stored = JSON.parse(text) as Partial<SendOptions>;
  const old = stored.perOriginConcurrency === undefined;
  if (old && stored.concurrency === OLD_DEFAULT_CONCURRENCY) delete stored.concurrency;
  // Options were checked when stored; an older row may lack the fields added since, which take defaults.
  return { ...sendOptionsSchema.parse({}), ...stored };
}
