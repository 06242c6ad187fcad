import fs from 'node:fs';
import path from 'node:path';
import Fuse from 'fuse.js';
import { Bm25Index } from '../knowledge/bm25';
import { evaluate, parseLabelledSet, type EvalReport } from '../knowledge/eval';
import { openKnowledge } from '../knowledge/index';
import type { Route } from '../knowledge/route';
import { isFaq, type Locale } from '../knowledge/schema';
import { normalize } from '../knowledge/text';
import { table } from './lib/stats';

/**
 * 3. Answer quality: `kb eval` on our labelled sets, next to two baselines the same script
 * computes on the same data — plain fuse.js with default options over every question and
 * alternate, and BM25 over character bigrams. A baseline answers its best match, or falls
 * back when it has none.
 */
const ROOT = path.resolve(__dirname, '..', '..');

const bigrams = (text: string) => {
  const t = normalize(text).replace(/\s+/g, '');
  return Array.from({ length: Math.max(1, t.length - 1) }, (_, i) => t.slice(i, i + 2));
};

function answerOrFallback(locale: Locale, entryId: string | undefined): Route {
  return entryId ? { decision: 'answer', entryId, locale, results: [] } : { decision: 'fallback', locale, results: [] };
}

export async function qualityBenchmark(): Promise<string> {
  const knowledge = openKnowledge({ dir: path.join(ROOT, 'knowledge', 'data') });
  const rows: (string | number)[][] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const items = parseLabelledSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', `${locale}.tsv`), 'utf8'));
    const phrasings = knowledge.kb.entries
      .filter((e) => e.locale === locale && isFaq(e))
      .flatMap((e) => [e.question, ...e.alternates].map((text) => ({ id: e.id, text })));
    const fuse = new Fuse(phrasings, { keys: ['text'] });
    const bm25 = new Bm25Index(phrasings.map((p) => bigrams(p.text)));
    const reports: [string, EvalReport][] = [
      ['Kefu (router)', evaluate(items, (q) => knowledge.router.route(q, locale))],
      ['fuse.js defaults', evaluate(items, (q) => answerOrFallback(locale, fuse.search(q, { limit: 1 })[0]?.item.id))],
      ['BM25 char bigrams', evaluate(items, (q) => answerOrFallback(locale, phrasings[bm25.search(bigrams(q), 1)[0]?.doc ?? -1]?.id))],
    ];
    for (const [name, r] of reports) rows.push([locale, name, items.length, pct(r.top1), pct(r.inScope), pct(r.fallbackPrecision), pct(r.fallbackRecall)]);
  }
  return [
    'Labelled sets `knowledge/eval/<locale>.tsv` (questions as users type them, each with the expected entry, `flow:…`, `handoff` or `fallback`). In-scope accuracy counts the questions that have an answer; fallback precision / recall are about saying "I don\'t know" to the questions that have none. The baselines have no intents, so flow and handoff requests count against them.',
    '',
    table(['set', 'method', 'questions', 'top-1', 'in-scope', 'fallback precision', 'fallback recall'], rows),
  ].join('\n');
}
