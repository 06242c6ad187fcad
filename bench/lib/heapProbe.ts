import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Loaded into a benchmarked bot with `--require` (never by the bot itself): on SIGUSR2 it runs
 * a full garbage collection and writes the process's memory figures to KEFU_BENCH_HEAP_FILE.
 * RSS after a load holds the garbage and allocator pages the load left behind; the heap in use
 * after a full collection is what the process really keeps.
 */
const file = process.env.KEFU_BENCH_HEAP_FILE;
if (file) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    gc();
    gc();
    fs.writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
}
