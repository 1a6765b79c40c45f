// Splits streamed text into lines without ever holding more than one line (capped) in memory: a byte-order
// mark is dropped, CRLF and LF both end a line, and a line over the cap is reported, not buffered.

export const MAX_ROW_CHARS = 1024 * 1024;

export type Line = { lineNo: number; text: string; tooLong?: false } | { lineNo: number; tooLong: true };

export async function* splitLines(
  chunks: AsyncIterable<string>,
  maxChars = MAX_ROW_CHARS,
): AsyncGenerator<Line> {
  let rest = '';
  let lineNo = 0;
  let skipping = false;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      lineNo++;
      if (skipping) {
        skipping = false;
      } else {
        let text = rest === '' ? chunk.slice(start, nl) : rest + chunk.slice(start, nl);
        if (text.length > maxChars) {
          yield { lineNo, tooLong: true };
        } else {
          if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
          yield { lineNo, text };
        }
      }
      rest = '';
      start = nl + 1;
    }
    if (!skipping) {
      rest += chunk.slice(start);
      if (rest.length > maxChars) {
        lineNo++;
        yield { lineNo, tooLong: true };
        // The line is counted now; its newline must not count it again.
        lineNo--;
        rest = '';
        skipping = true;
      }
    }
  }
  if (!skipping && rest !== '') {
    lineNo++;
    if (rest.charCodeAt(rest.length - 1) === 13) rest = rest.slice(0, -1);
    yield { lineNo, text: rest };
  }
}
