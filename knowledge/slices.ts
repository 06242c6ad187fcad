/**
 * Work that can stop between steps: a generator that yields where it may be paused. Built at
 * once where nothing waits on it (start-up, the CLI), or in slices between turns where turns
 * would otherwise wait on it (a published version, a reloaded file) — the same steps in the
 * same order either way, so what it builds is the same.
 *
 * Slices rather than a worker thread: what a build makes is mostly closures and indexes (the
 * search index, the typing vocabulary, the router), not plain data a worker could hand back;
 * only the classifiers' weights are, and at 1 000 entries no classifier is trained at all
 * (MAX_TRAINING_STEPS) while the rest takes seconds. A worker would also load a second copy of
 * the knowledge code in every instance and need a TypeScript loader under jest; on two cores
 * it would compete with the other instance and Redis for CPU all the same.
 */
export type Sliced<T> = Generator<void, T, void>;

/**
 * How long one slice may run before the event loop gets its turn. Short, because a turn is
 * many hops through the loop (Redis reads and writes, the reply), and each hop that becomes
 * ready during a slice waits for its end; the loop runs every ready callback between two
 * slices, so the busier the turns keep it, the smaller the build's share.
 */
export const SLICE_MS = 2;

/** Runs the work to its end now. */
export function atOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the work in slices of about `sliceMs`, letting I/O (turns) run between them. When the
 * loop had other work between two slices, the build then stays away for as long again: turns
 * go first, and the build takes what they leave (all of it on an idle instance).
 */
export async function inSlices<T>(work: Sliced<T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const until = performance.now() + sliceMs;
    do {
      const step = work.next();
      if (step.done) return step.value;
    } while (performance.now() < until);
    const yielded = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const othersMs = performance.now() - yielded;
    if (othersMs > BUSY_MS) await new Promise((resolve) => setTimeout(resolve, othersMs));
  }
}

/** Between two slices, other callbacks that ran this long mean turns are being answered. */
const BUSY_MS = 0.5;
