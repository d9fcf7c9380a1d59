/** The rejection reason of `p`, for assertions on Node-shaped errors; fails when `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('did not reject');
}
