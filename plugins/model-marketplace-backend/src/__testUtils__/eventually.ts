/**
 * Retries `assertion` until it passes or `timeoutMs` has passed, yielding to
 * the event loop between tries. For effects that happen after a response,
 * such as notifications.
 */
export async function eventually(
  assertion: () => void,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
}
