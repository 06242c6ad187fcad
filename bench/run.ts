import fs from 'node:fs';
import path from 'node:path';
import { calibrateBenchmark } from './calibrate';
import { footprintBenchmark } from './footprint';
import { qualityBenchmark } from './quality';
import { rankingBenchmark } from './ranking';
import { searchBenchmark } from './search';
import { machineLine } from './lib/stats';
import { publishBenchmark } from './publish';
import { recordsBenchmark } from './records';
import { turnBenchmark } from './turn';
import { widgetBenchmark } from './widget';

/**
 * `npm run bench [-- name …]`: runs the benchmarks (all by default) and rewrites their
 * sections of BENCHMARKS.md, each stamped with the machine it ran on. Loopback only,
 * bounded in time; no assertion — the numbers are the result.
 */
const BENCHMARKS: Record<string, { title: string; run: () => Promise<string> }> = {
  turn: { title: '1. Turn throughput and latency', run: turnBenchmark },
  search: { title: '2. Search scaling', run: searchBenchmark },
  quality: { title: '3. Answer quality', run: qualityBenchmark },
  footprint: { title: '4. Footprint', run: footprintBenchmark },
  widget: { title: '5. Widget load', run: widgetBenchmark },
  ranking: { title: '6. Ranking on public data', run: rankingBenchmark },
  calibrate: { title: '7. Confirm thresholds', run: calibrateBenchmark },
  publish: { title: '8. Publishing while serving', run: publishBenchmark },
  records: { title: '9. Durable records', run: recordsBenchmark },
};

const FILE = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md');
const HEADER = '# Benchmarks\n\nProduced by `npm run bench` (one benchmark: `npm run bench -- turn`); every section says when and where it ran. These are measurements, not tests: nothing here fails a build.\n';
const start = (name: string) => `<!-- bench:${name}:start -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

function withSection(document: string, name: string, body: string): string {
  const block = `${start(name)}\n${body}\n${end(name)}`;
  const from = document.indexOf(start(name));
  const to = document.indexOf(end(name));
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end(name).length);
  return `${document.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !BENCHMARKS[n]);
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  let document = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : HEADER;
  // Sections always appear in benchmark order, whichever ran first.
  for (const name of Object.keys(BENCHMARKS)) if (!document.includes(start(name))) document = withSection(document, name, `## ${BENCHMARKS[name]!.title}\n\nNot run yet.`);
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const { title, run } = BENCHMARKS[name]!;
    const started = Date.now();
    process.stdout.write(`${title} … `);
    const body = await run();
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`${seconds} s`);
    document = withSection(document, name, `## ${title}\n\n_Machine: ${machineLine()}; ran ${seconds} s._\n\n${body}`);
    fs.writeFileSync(FILE, document);
  }
  console.log(`Wrote ${path.relative(process.cwd(), FILE)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
