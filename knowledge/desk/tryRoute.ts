import { routeLabel, type Judged } from '../eval';
import { renderAnswer, type AnswerValues } from '../placeholders';
import type { Router } from '../route';
import type { Locale } from '../schema';

export interface TryRoute {
  /** The route's decision, `offer-handoff` for a person offered; a flow says which (`flow:unlock`). */
  decision: string;
  entryId?: string;
  question?: string;
  /** The answer as the widget shows it, placeholders filled (text; the page renders it inert). */
  answer?: string;
  top: { id: string; question: string; score: number }[];
}

/** How one knowledge base takes a message, described for a lead: what the bot would do, and the entries it weighed. */
export function describeTry(judged: Judged, router: Router, text: string, locale: Locale, values: AnswerValues): TryRoute {
  const entryId = 'entryId' in judged ? judged.entryId : undefined;
  const entry = entryId === undefined ? undefined : router.entry(entryId, locale);
  const results = 'results' in judged && judged.results.length > 0 ? judged.results : router.route(text, locale).results;
  return {
    decision: judged.decision === 'flow' ? routeLabel(judged) : judged.decision,
    ...(entryId === undefined ? {} : { entryId }),
    ...(entry ? { question: entry.question } : {}),
    ...(entry?.answer !== undefined && judged.decision === 'answer' ? { answer: renderAnswer(entry.answer, values) } : {}),
    top: results.slice(0, 5).map((r) => ({ id: r.id, question: router.entry(r.id, locale)?.question ?? r.id, score: Number(r.score.toFixed(3)) })),
  };
}
