import type { Router } from './route';
import type { Locale } from './schema';
import { normalize } from './text';

/** A question an author should look at: it fell back, or its answer got 👎. */
export interface AuthorSignal {
  question: string;
  locale: Locale;
  kind: 'unanswered' | 'feedback';
  vote?: 'up' | 'down';
  entryId?: string;
}

export interface UnansweredGroup {
  locale: Locale;
  count: number;
  /** Up to five of the questions, most frequent wording first. */
  examples: string[];
  /** Entries 👎-ed for these questions, if any. */
  downvoted: string[];
  /** The closest entries: where an alternate would go. */
  nearest: { id: string; score: number; question: string }[];
  /** Every wording in the group, normalized: which signals it holds. */
  wordings: string[];
}

const SIMILAR = 0.45;

function bigrams(text: string): Set<string> {
  const t = normalize(text).replace(/\s+/g, '');
  const grams = new Set<string>();
  for (let i = 0; i < t.length - 1; i++) grams.add(t.slice(i, i + 2));
  if (t.length === 1) grams.add(t);
  return grams;
}

function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Groups what users asked without a good answer by wording (character-bigram Jaccard,
 * greedy, most frequent first), biggest groups first, each with the entries it comes closest
 * to — so an author can add the wording as an alternate, or see that an entry is missing.
 */
export function groupUnanswered(signals: readonly AuthorSignal[], router: Router): UnansweredGroup[] {
  const wanted = signals.filter((s) => s.kind === 'unanswered' || s.vote === 'down');
  const counts = new Map<string, { signal: AuthorSignal; count: number; downvoted: Set<string> }>();
  for (const signal of wanted) {
    const key = `${signal.locale}\u0000${normalize(signal.question)}`;
    const entry = counts.get(key) ?? { signal, count: 0, downvoted: new Set<string>() };
    entry.count++;
    if (signal.vote === 'down' && signal.entryId) entry.downvoted.add(signal.entryId);
    counts.set(key, entry);
  }
  const groups: { locale: Locale; grams: Set<string>; items: { question: string; count: number }[]; downvoted: Set<string> }[] = [];
  for (const { signal, count, downvoted } of [...counts.values()].sort((x, y) => y.count - x.count)) {
    const grams = bigrams(signal.question);
    const home = groups.find((g) => g.locale === signal.locale && similarity(g.grams, grams) >= SIMILAR);
    if (home) {
      home.items.push({ question: signal.question, count });
      for (const id of downvoted) home.downvoted.add(id);
    } else {
      groups.push({ locale: signal.locale, grams, items: [{ question: signal.question, count }], downvoted: new Set(downvoted) });
    }
  }
  return groups
    .map((g) => {
      const representative = g.items[0]?.question ?? '';
      const nearest = router
        .route(representative, g.locale)
        .results.slice(0, 3)
        .map((r) => ({ id: r.id, score: Number(r.score.toFixed(3)), question: router.entry(r.id, g.locale)?.question ?? '' }));
      return {
        locale: g.locale,
        count: g.items.reduce((n, i) => n + i.count, 0),
        examples: g.items.slice(0, 5).map((i) => i.question),
        downvoted: [...g.downvoted],
        nearest,
        wordings: g.items.map((i) => normalize(i.question)),
      };
    })
    .sort((a, b) => b.count - a.count);
}
