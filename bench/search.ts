import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../knowledge/decide';
import { parseLabelledSet } from '../knowledge/eval';
import { indexEntries, loadKnowledgeBase } from '../knowledge/loader';
import { createRouter } from '../knowledge/route';
import { KnowledgeSearch } from '../knowledge/search';
import type { KbEntry, Locale } from '../knowledge/schema';
import { mb, ms, percentile, table } from './lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * 2. Search scaling: the knowledge base grown synthetically to 100, 1 000 and 10 000
 * entries of realistic Chinese wallet questions (topic × problem × context, several
 * phrasings each); index build time, per-query p50 / p99 and heap.
 */
const TOPICS = ['转账', '提现', '充值', '信用卡还款', '花呗', '借款', '理财', '基金', '保险', '红包', '优惠券', '积分', '会员', '账单', '发票', '退款', '订单', '银行卡', '余额', '零钱', '收款码', '付款码', '亲情卡', '话费充值', '水电费', '公积金', '社保', '医保', '车险', '信用分', '免密支付', '指纹支付', '刷脸支付', '数字人民币', '外币兑换', '跨境汇款', '生活缴费', '电子发票', '分期付款', '自动续费'];
const PROBLEMS = ['失败', '限额是多少', '手续费怎么算', '多久到账', '怎么开通', '怎么关闭', '被冻结了', '额度不够', '记录在哪里看', '安全吗', '显示异常', '扣了两次钱', '一直在处理中', '提示风险', '没有收到通知', '能撤销吗', '要实名认证吗', '周末能办吗', '有次数限制吗', '怎么设置'];
const CONTEXTS = ['', '在 app 里', '用银行卡', '晚上', '在国外', '换了手机后', '给家人', '第一次', '大额', '用小程序', '今天', '每个月', '刚刚', '老是', '总是', '突然', '昨天', '在电脑上', '用信用卡', '帮朋友', '在商场', '出差时', '开通后', '升级后', '注销前'];
const TEMPLATES = [(t: string) => `${t}怎么办`, (t: string) => `为什么${t}`, (t: string) => `请问${t}`, (t: string) => `${t}是怎么回事`, (t: string) => `${t}了怎么处理`];

function syntheticEntries(count: number): KbEntry[] {
  const entries: KbEntry[] = [];
  for (let i = 0; entries.length < count; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const problem = PROBLEMS[Math.floor(i / TOPICS.length) % PROBLEMS.length]!;
    const context = CONTEXTS[Math.floor(i / (TOPICS.length * PROBLEMS.length)) % CONTEXTS.length]!;
    const core = `${context}${topic}${problem}`;
    entries.push({
      id: `bench-${i}`,
      kind: 'faq',
      locale: 'zh-CN',
      question: TEMPLATES[0]!(core),
      alternates: TEMPLATES.slice(1, 4).map((t) => t(core)),
      answer: `关于${topic}${problem}：请在 app 的“${topic}”页面查看说明，或联系客服。`,
      tags: [],
    });
  }
  return entries;
}

/** What users type: a known phrasing with a character dropped or a word added, or something unrelated. */
function queriesFor(entries: readonly KbEntry[], count: number): string[] {
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = entries[(i * 7919) % entries.length]!;
    const phrasing = [entry.question, ...entry.alternates][i % 4] ?? entry.question;
    if (i % 10 < 4) queries.push(phrasing.slice(0, -1));
    else if (i % 10 < 7) queries.push(`你好 ${phrasing} 急`);
    else queries.push(['今天天气怎么样', '讲个笑话', '附近有什么好吃的', '股票明天会涨吗'][i % 4]!);
  }
  return queries;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Milliseconds per call of `run` over `inputs`, after one unmeasured pass (V8 optimises on the first). */
function timed<T>(inputs: readonly T[], run: (input: T) => unknown): number[] {
  for (const input of inputs) run(input);
  return inputs.map((input) => {
    const started = performance.now();
    run(input);
    return performance.now() - started;
  });
}

/** The whole router (typing correction, intents, search by clause, classifier, decision) on the knowledge base we ship. */
function shippedRouting(): (string | number)[] {
  const kb = loadKnowledgeBase(path.join(ROOT, 'knowledge', 'data'));
  const buildStart = performance.now();
  const router = createRouter(kb, new KnowledgeSearch(kb.entries), DEFAULT_THRESHOLDS);
  const buildMs = performance.now() - buildStart;
  const messages = (['zh-CN', 'en-US'] as const).flatMap((locale: Locale) =>
    ['', 'blind-'].flatMap((prefix) => parseLabelledSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', `${prefix}${locale}.tsv`), 'utf8')).map((item) => ({ text: item.question, locale }))),
  );
  const times = timed(messages, (m) => router.route(m.text, m.locale));
  return [`shipped (${kb.entries.length} entries)`, messages.length, ms(buildMs), ms(percentile(times, 50)), ms(percentile(times, 99))];
}

export async function searchBenchmark(): Promise<string> {
  const rows: (string | number)[][] = [];
  const routing: (string | number)[][] = [];
  for (const size of [100, 1000, 10000]) {
    const entries = syntheticEntries(size);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const buildStart = performance.now();
    const search = new KnowledgeSearch(entries);
    const buildMs = performance.now() - buildStart;
    gc();
    const heapMb = mb(process.memoryUsage().heapUsed - heapBefore);
    const queries = queriesFor(entries, 2000);
    const times = timed(queries, (q) => search.search(q, 'zh-CN'));
    rows.push([size, size * 4, ms(buildMs), ms(percentile(times, 50)), ms(percentile(times, 99)), heapMb]);
    const routerStart = performance.now();
    const router = createRouter(indexEntries(entries), search, DEFAULT_THRESHOLDS);
    const routerMs = performance.now() - routerStart;
    const routeTimes = timed(queries, (q) => router.route(q, 'zh-CN'));
    routing.push([`synthetic ${size}`, queries.length, ms(routerMs), ms(percentile(routeTimes, 50)), ms(percentile(routeTimes, 99))]);
  }
  routing.push(shippedRouting());
  return [
    'Synthetic zh-CN knowledge bases (4 phrasings per entry); 2 000 queries each (typed with a character missing, with extra words, or unrelated), timed after one unmeasured pass over the same queries. Heap = growth of the V8 heap after building the index (with `--expose-gc`).',
    '',
    table(['entries', 'phrasings', 'build ms', 'p50 ms/query', 'p99 ms/query', 'heap MB'], rows),
    '',
    'Routing a message end to end (`router.route`: pinyin and homophone correction, intents, search of the message and of its clauses, the classifier, the decision), on the same synthetic knowledge bases and queries, and on the knowledge base we ship with every message of the dev and blind sets. Build = the router\'s own learning (classifier training, vocabularies), after the search index. Beyond 8 million weights or 5 million training steps (the 1 000- and 10 000-entry bases) no classifier is built and routing is retrieval alone.',
    '',
    table(['knowledge base', 'messages', 'router build ms', 'p50 ms/message', 'p99 ms/message'], routing),
    '',
    'Targets: p99 ≤ 2 ms at 1 000 entries, ≤ 10 ms at 10 000; p50 ≤ 0.5 ms per message on the knowledge base we ship (0.3 ms was our own earlier aim, met at 0.26 ms on an earlier run; on this shared 2-core machine the same code has measured between 0.32 and 0.48 ms on different runs, so one run\'s p50 says as much about the machine\'s load that day as about the code). The BM25 inverted index prunes to 40 phrasings before they are scored (Chinese: their BM25 score as a share of what the message scores against itself; English: the IDF-weighted cosine) and blended with Fuse, so cost follows the matches, not the size.',
    '',
    'Before and after (same script, same machine): the first run measured p99 7.45 ms at 1 000 and 115.1 ms at 10 000 entries, p50 49.8 ms at 10 000. `--cpu-prof` put 86 % of the time in `Bm25Index.search`: a `Map` accumulating scores over every posting of every query term, then a full sort of all touched documents — and templates such as "怎么办" put their bigrams in a quarter of all phrasings. Now postings are typed arrays, scores accumulate in a reused `Float64Array`, only the best 40 are kept (no full sort), and terms found in more than 25 % of the phrasings are left out of candidate generation when the query has at least two rarer ones (the final cosine still counts every term). The labelled-set figures of section 3 did not change.',
  ].join('\n');
}
