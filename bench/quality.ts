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
import { CONVERSATION_SETS, SET_KINDS, conversationReports } from '../bot/kb/evalTable';
import { figuresOf } from '../knowledge/conversationEval';
import { judgeAsBot } from '../bot/kb/judgeAsBot';

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

/** The labelled sets, as README names them (bot/kb/evalTable.ts). */
const SETS = SET_KINDS.map(({ kind, prefix }) => ({ name: kind, file: (locale: Locale) => `${prefix}${locale}.tsv` }));

export async function qualityBenchmark(): Promise<string> {
  const knowledge = openKnowledge({ dir: path.join(ROOT, 'knowledge', 'data') });
  const rows: (string | number)[][] = [];
  const kinds: (string | number)[][] = [];
  const misses: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  for (const set of SETS) {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const items = parseLabelledSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', set.file(locale)), 'utf8'));
      const phrasings = knowledge.kb.entries
        .filter((e) => e.locale === locale && isFaq(e))
        .flatMap((e) => [e.question, ...e.alternates].map((text) => ({ id: e.id, text })));
      const fuse = new Fuse(phrasings, { keys: ['text'] });
      const bm25 = new Bm25Index(phrasings.map((p) => bigrams(p.text)));
      const kefu = evaluate(items, judgeAsBot(knowledge.router, locale));
      const reports: [string, EvalReport][] = [
        ['Kefu (router)', kefu],
        ['fuse.js defaults', evaluate(items, (q) => answerOrFallback(locale, fuse.search(q, { limit: 1 })[0]?.item.id))],
        ['BM25 char bigrams', evaluate(items, (q) => answerOrFallback(locale, phrasings[bm25.search(bigrams(q), 1)[0]?.doc ?? -1]?.id))],
      ];
      for (const [name, r] of reports) {
        rows.push([`${set.name} ${locale}`, name, items.length, pct(r.top1), pct(r.directCorrect), pct(r.wrongAction), pct(r.clarify), pct(r.fallbackPrecision), pct(r.fallbackRecall)]);
      }
      for (const [kind, f] of Object.entries(kefu.byKind)) kinds.push([`${set.name} ${locale}`, kind, f.total, pct(f.top1), f.answerable > 0 ? pct(f.directCorrect) : '—', pct(f.wrongAction), pct(f.clarify)]);
      if (set.name.startsWith('blind')) {
        misses.push(`**${set.name} ${locale}: ${kefu.misses.length} misses**`, '');
        for (const m of kefu.misses) misses.push(`- ${m.question.replace(/\|/g, '\\|')} — expected \`${m.expected}\`, got \`${m.got}\` (${m.decision})${m.kind ? ` [${m.kind}]` : ''}`);
        misses.push('');
      }
    }
  }
  return [
    'Labelled sets in `knowledge/eval/`, each line a message as users type it with the expected entry, `flow:…`, `handoff` or `fallback`, and (but the first dev set) the kind of message. **dev** (`<locale>.tsv`, written with sight of the knowledge base) and **dev-2** (`dev2-<locale>.tsv`, written by a helper who saw only the topic list, the seed articles and the demo accounts) are tuned on. **blind-1** to **blind-11** (`blind-`, `blind2-` … `blind11-<locale>.tsv`) were each written that same way by another helper and never tuned on before they were first scored; the misses of each set were read after its first score (the README gives every first score), so the figures here are the current code on sets that are blind no longer, and the honest figure is the first score of blind-11 in the README. Single messages are judged as the bot takes them when nothing came before (an indirect request for a person is offered one: right for a `handoff` line, but a question back).',
    '',
    '- **top-1** (lenient): the label matches, a "您是想问" whose first candidate is right counted as a hit.',
    '- **direct-correct** (strict): answered, started or handed off straight and right, of the lines that have an answer.',
    '- **wrong action**: answered, started a flow or handed off wrongly, of all lines. **clarify**: a "您是想问" instead of an answer.',
    '- Fallback precision / recall: saying "I don\'t know" to the lines that have no answer. The baselines have no intents, so flow and handoff requests count against them.',
    '',
    table(['set', 'method', 'lines', 'top-1', 'direct-correct', 'wrong action', 'clarify', 'fallback precision', 'fallback recall'], rows),
    '',
    'Kefu per kind of message (dev-2 and the blind sets label kinds):',
    '',
    table(['set', 'kind', 'lines', 'top-1', 'direct-correct', 'wrong action', 'clarify'], kinds),
    '',
    'What this does not show: each set is one writer\'s idea of how users type, not logs of real users; figures on the small classes move by several points per line. The dev sets were extended during tuning and dev is close to the knowledge base\'s own phrasings.',
    '',
    '<details><summary>Every blind miss</summary>',
    '',
    ...misses,
    '</details>',
    '',
    await conversationSection(pct),
  ].join('\n');
}

/** The conversation sets played through the conversation core, per kind, with every blind turn the bot got wrong. */
async function conversationSection(pct: (x: number) => string): Promise<string> {
  const reports = await conversationReports();
  const rows = CONVERSATION_SETS.map(({ name }) => {
    const f = reports[name].figures;
    return [name, f.conversations, pct(f.passedStrict), pct(f.passedLenient), f.turns, pct(f.turnsStrict), pct(f.wrongActions), pct(f.clarifyOrConfirm), pct(f.fallbackPrecision), pct(f.fallbackRecall)];
  });
  const kinds: (string | number)[][] = [];
  const misses: string[] = [];
  for (const { name } of CONVERSATION_SETS.filter((set) => set.name.startsWith('blind'))) {
    const { results } = reports[name];
    for (const kind of [...new Set(results.map((r) => r.kind))].sort()) {
      const f = figuresOf(results.filter((r) => r.kind === kind));
      kinds.push([name, kind, f.conversations, pct(f.passedStrict), pct(f.passedLenient), pct(f.turnsStrict), pct(f.wrongActions)]);
    }
    const failed = results.filter((r) => !r.strict);
    misses.push(`**${name}: ${failed.length} of ${results.length} conversations not passed**`, '');
    for (const r of failed) {
      const wrong = r.turns.filter((t) => !t.verdict.strict).map((t) => `"${t.user.replace(/\|/g, '\\|')}" expected \`${t.expected}\`, got \`${t.verdict.got}\`${t.verdict.lenient ? ' (lenient)' : ''}`);
      misses.push(`- ${r.id} [${r.kind}]: ${wrong.join('; ')}`);
    }
    misses.push('');
  }
  return [
    '### Conversations',
    '',
    'Scripted chats in `knowledge/eval/conversations/`, each played turn by turn through the real conversation core on a fresh demo platform (`npm run kb -- eval <file.yaml>`), in the same kinds as the single messages: **dev** (148 + 64, written with sight of the knowledge base) and **dev-2** (50 + 26, without), tuned on; **blind-1** (66 + 39), **blind-2** (66 + 38), **blind-3** (66 + 38) and **blind-4** to **blind-10** (50 + 30 each) and **blind-11** (53 + 32), each first scored before its misses were read and read afterwards (first scores in the README). A conversation passes when every turn does what the set expects; "a yes allowed" also passes a turn where the bot asked "您是想问「X」吗？" about the expected entry (or offered a person) and the runner said yes.',
    '',
    table(['set', 'conversations', 'passed', 'passed, a yes allowed', 'turns', 'turns right', 'wrong action', 'clarify + confirm', 'fallback precision', 'fallback recall'], rows),
    '',
    'Blind conversations per kind:',
    '',
    table(['set', 'kind', 'conversations', 'passed', 'a yes allowed', 'turns right', 'wrong action'], kinds),
    '',
    "What this does not show: one writer's idea of a conversation, a few per kind (figures move by 15-30 points per conversation in a kind); turns after a miss are scored as they come, so one early miss can fail the rest of a flow; no agent is online, so a handoff ends in the offer to leave a message; fallback precision counts every \"I don't know\" turn, flow steps that failed after a missed start included.",
    '',
    '<details><summary>Every blind conversation not passed</summary>',
    '',
    ...misses,
    '</details>',
  ].join('\n');
}
