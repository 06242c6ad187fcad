import type { DecisionThresholds } from './decide';
import type { KnowledgeBase } from './loader';
import type { Route } from './route';
import { isFaq, type FaqEntry } from './schema';
import { asksSomething } from './intents';
import { plainText } from './text';

/**
 * Reading a message with what came before it (pure): a follow-up after an answer ("那要钱不"
 * after "怎么换手机号"), and the second question of a message ("…卡得重绑吗 还有换号要不要手续费").
 */

/** A tag on more than this share of the entries ("phone") says too little to make two entries near. */
const COMMON_TAG_SHARE = 0.25;

/**
 * Entries near one: within two steps of it along follow-up links (either way), or sharing a tag
 * that few entries have ("bank-card", "appeal" — not "phone").
 */
export function relatedEntries(kb: KnowledgeBase): (entry: FaqEntry) => ReadonlySet<string> {
  const faqs = kb.entries.filter(isFaq);
  const known = new Map<FaqEntry, ReadonlySet<string>>();
  return (entry) => {
    let near = known.get(entry);
    if (near) return near;
    const same = faqs.filter((other) => other.locale === entry.locale);
    const tagCount = new Map<string, number>();
    for (const other of same) for (const tag of other.tags) tagCount.set(tag, (tagCount.get(tag) ?? 0) + 1);
    const telling = new Set(entry.tags.filter((tag) => (tagCount.get(tag) ?? 0) <= COMMON_TAG_SHARE * same.length));
    const linked = (id: string) => new Set(same.filter((o) => o.id === id || o.followUps?.includes(id) || same.find((e) => e.id === id)?.followUps?.includes(o.id)).map((o) => o.id));
    const oneStep = linked(entry.id);
    near = new Set([...oneStep, ...[...oneStep].flatMap((id) => [...linked(id)]), ...same.filter((o) => o.tags.some((tag) => telling.has(tag))).map((o) => o.id)]);
    known.set(entry, near);
    return near;
  };
}

/**
 * "那…", "and …", "what about …": a message that says it goes on from the last answer. ("还有…",
 * "另外…", "also …" turn to another question instead: "另外问一下 你们app是不是挂了".)
 */
const GOES_ON = /^(那|那么|那要是|那如果|也|再|and\b|what about\b|how about\b|then\b|so\b)/iu;
/** Short enough to lean on what was said before ("收费不", "信用卡也得重新绑？", "and how long?"). */
const SHORT = { 'zh-CN': 10, 'en-US': 6 } as const;

export function isElliptical(text: string, locale: 'zh-CN' | 'en-US'): boolean {
  const plain = plainText(text).trim().toLowerCase();
  if (GOES_ON.test(plain)) return true;
  if (locale === 'en-US') return (plain.match(/[a-z']+/g) ?? []).length <= SHORT['en-US'];
  return (plain.match(/[\p{Script=Han}]|[a-z0-9]+/gu) ?? []).length <= SHORT['zh-CN'];
}

/**
 * How much a follow-up must add to the last topic's question for an entry near that topic to be
 * what it asks (a share of a full match). Chosen on the dev conversation sets.
 */
const FOLLOW_UP_GAIN = 0.16;
/** Read alone, a follow-up still finds something, however weak ("收费不" finds the fee entry a little). */
const MIN_ALONE = 0.1;

/**
 * A follow-up read with the last topic. The contextual reading wins when the message leans on
 * what came before (short, or opening with "那…"/"and …") and either
 * - read alone, it was unsure (a doubt about its best match included), and exactly one of its
 *   candidates is near the topic ("信用卡也得重新绑？" after "换号要重新绑储蓄卡吗" → answered), or
 * - read alone, it found nothing plausible, and the topic's question plus the message points
 *   to an entry near the topic more than the topic's question alone did ("收费不" after
 *   "怎么换手机号" → phone-change-fee).
 * It loses to anything the message says for itself: a request (a flow, a person), an answer
 * near the topic, and a sure answer elsewhere unless the message opens with "那…" ("那得等几天"
 * is about the topic, not another topic's duration).
 */
export function inContext(
  text: string,
  alone: Route,
  topic: FaqEntry,
  near: ReadonlySet<string>,
  routeText: (text: string) => Route,
  thresholds: DecisionThresholds,
  /**
   * Inside a flow the flow's subject is the topic, and a step's slips ("what", "??") must stay
   * slips: only a message that found one plausible entry alone is settled by it — never a list
   * of candidates, nor a message the topic would have to complete.
   */
  inFlow = false,
): Route {
  if (!isElliptical(text, alone.locale)) return alone;
  // At a step, only a question is read with the flow's subject: "好的" or "嗯" is the step's slip.
  if (inFlow && !asksSomething(text)) return alone;
  if (alone.decision === 'flow' || alone.decision === 'handoff' || alone.decision === 'complaint') return alone;
  if (alone.decision === 'answer' && (near.has(alone.entryId) || !GOES_ON.test(plainText(text).trim().toLowerCase()))) return alone;
  const [best] = alone.results;
  // Unsure alone, but only one of its candidates is near the topic: that one.
  const nearCandidates =
    alone.decision === 'clarify' && !inFlow
      ? alone.candidates.filter((id) => near.has(id))
      : (alone.decision === 'confirm' || (alone.decision === 'fallback' && alone.vetoed === 'doubt')) && best && near.has(best.id)
        ? [best.id]
        : [];
  if (nearCandidates.length === 1 && best && best.score >= thresholds.clarify) {
    return { decision: 'answer', entryId: nearCandidates[0] ?? best.id, locale: alone.locale, results: alone.results, inContext: true };
  }
  // A question of its own ("另外问下 账户被冻结了怎么解"): what it finds alone stands; and a
  // message that finds nothing at all alone ("what") says nothing the topic could complete.
  if (best && best.score >= thresholds.clarify && alone.decision !== 'answer') return alone;
  if (!best || best.score < MIN_ALONE || inFlow) return alone;
  const before = new Map(routeText(topic.question).results.map((r) => [r.id, r.score]));
  const after = routeText(`${topic.question} ${text}`).results;
  const gains = after
    .filter((r) => near.has(r.id) && r.id !== topic.id)
    .map((r) => ({ id: r.id, gain: r.score - (before.get(r.id) ?? 0) }))
    .sort((a, b) => b.gain - a.gain);
  const [top] = gains;
  if (top && top.gain >= FOLLOW_UP_GAIN) return { decision: 'answer', entryId: top.id, locale: alone.locale, results: alone.results, inContext: true };
  // "那得等几天" after a phone change: it goes on from the topic, yet what it finds alone is
  // another topic's — asked about, not asserted.
  if (alone.decision === 'answer') return { decision: 'confirm', entryId: alone.entryId, candidates: alone.results.slice(1, 4).map((r) => r.id), locale: alone.locale, results: alone.results };
  return alone;
}

/**
 * A first question finished without a question mark ("申诉咋弄 一般多久出结果"): a clause that
 * ends the way Chinese questions end, then a space or a comma and more.
 */
/** Two clauses that both ask ("账户为什么被锁，怎么解锁"): the cut is at the break between them. */
const BOTH_ASK = /((?:为什么|为啥|怎么|咋|多久|几天|是不是|能不能|要不要)[^，,。；;\s]*)[，,；;\s]+(?=[^，,。；;\s]*(?:为什么|为啥|怎么|咋|多久|几天|吗|么|呢))/u;
const ENDS_A_QUESTION = /(吗|(?<!什)么|呢|咋弄|咋办|咋整|怎么办|怎么弄|怎么搞|怎么操作|如何操作|多久|几天|多少钱|为什么|为啥)[\s,，、]+(?=\S)/u;

/**
 * The message cut where it turns to its next question, or undefined when it asks one thing.
 * `marked`: a question mark or "另外…" says so; unmarked, the second part must be a question
 * of its own ("一般多久出结果"), not one leaning on the first ("换号要刷脸吗 具体怎么弄").
 */
function splitAtNextQuestion(text: string): { parts: [string, string]; marked: boolean } | undefined {
  // The first marker that has a question before it: "顺便问下…" opening the message marks nothing.
  for (const found of text.matchAll(new RegExp(NEXT_QUESTION.source, 'giu'))) {
    const at = found.index ?? 0;
    const marker = found[0];
    const first = text.slice(0, at + (/[？?]/u.test(marker) ? marker.length : 0)).trim();
    if ((first.match(/[\p{L}\p{N}]/gu) ?? []).length >= MIN_PART_LETTERS) return { parts: [first, text.slice(at + marker.length).trim()], marked: true };
  }
  const end = ENDS_A_QUESTION.exec(text) ?? BOTH_ASK.exec(text);
  if (!end) return undefined;
  return { parts: [text.slice(0, end.index + (end[1]?.length ?? 0)).trim(), text.slice(end.index + end[0].length).trim()], marked: false };
}

/** Where a message turns to its next question, and the words that say which one matters most. */
const NEXT_QUESTION = /[？?]|另外|还有(?![吗么])|顺便|顺带|再问|以及|此外|(?=最主要|主要是|重点是|最想问)|\balso\b|\bplus\b|\band (?=(how|what|why|when|where|can|could|do|does|is|are|will|should) )/iu;
const MAIN_QUESTION = /主要|最主要|重点|最想|最关心|\bmostly\b|\bmainly\b|most importantly|\bmain thing\b/iu;
const MIN_PART_LETTERS = 3;

/**
 * Two questions in one message: each part routed alone (the second, if it leans on the first,
 * read with the first's answer as its topic). The one the user marks as most important, else the
 * first, is answered, the other offered (`also`); undefined when the message is not two answerable
 * questions, so the whole message is routed as one.
 */
export function twoQuestions(text: string, whole: Route, routePart: (part: string) => Route, topicOf: (route: Route) => FaqEntry | undefined, read: (part: string, alone: Route, topic: FaqEntry) => Route): Route | undefined {
  const split = splitAtNextQuestion(text);
  if (!split) return undefined;
  const { parts, marked } = split;
  if (parts.some((p) => (p.match(/[\p{L}\p{N}]/gu) ?? []).length < MIN_PART_LETTERS)) return undefined;
  const first = routePart(parts[0] ?? '');
  const firstTopic = topicOf(first);
  const secondAlone = routePart(parts[1] ?? '');
  if (!marked && secondAlone.decision !== 'answer') return undefined;
  const second = firstTopic ? read(parts[1] ?? '', secondAlone, firstTopic) : secondAlone;
  const main = MAIN_QUESTION.test(parts[1] ?? '') ? 1 : 0;
  const [primary, other] = main === 1 ? [second, first] : [first, second];
  if (primary.decision !== 'answer') return undefined;
  const also = other.decision === 'answer' && other.entryId !== primary.entryId ? other.entryId : undefined;
  if (!also && whole.decision === 'answer' && whole.entryId === primary.entryId) return undefined;
  return { ...primary, results: whole.results, ...(also ? { also } : {}) };
}
