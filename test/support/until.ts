// Waits, polling every `everyMs` (10 ms unless told), until a condition holds; fails with what it waited for
// after a bounded time. The condition may be asked of something else (a page: test-site.ts waitInPage).
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
