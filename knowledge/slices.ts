/**
 * Work that can stop between steps: a generator that yields where it may be paused. Built at
 * once where nothing waits on it (start-up, the CLI), or in slices between turns where turns
 * would otherwise wait on it (a published version, a reloaded file) — the same steps in the
 * same order either way, so what it builds is the same.
 */
export type Sliced<T> = Generator<void, T, void>;

/**
 * How long one slice may run before the event loop gets its turn: a turn that arrives during a
 * build waits at most about this long for each slice (a slice ends at the first pause after it).
 */
export const SLICE_MS = 8;

/** Runs the work to its end now. */
export function atOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** Runs the work in slices of about `sliceMs`, letting I/O (turns) run between them. */
export async function inSlices<T>(work: Sliced<T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const until = performance.now() + sliceMs;
    do {
      const step = work.next();
      if (step.done) return step.value;
    } while (performance.now() < until);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
