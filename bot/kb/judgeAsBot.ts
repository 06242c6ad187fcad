import { understand } from '../../dialogs/commands';
import type { Judged } from '../../knowledge/eval';
import type { Router } from '../../knowledge/route';
import type { Locale } from '../../knowledge/schema';

/**
 * One message as the bot takes it when nothing came before: its route, unless the bot reads it
 * as asking for a person indirectly ("找你们主管过来") or as not understanding, which offer a
 * person (the conversation's first answer to those acts). `kb eval`, the README tables and the
 * quality benchmark all judge single messages this way.
 */
export function judgeAsBot(router: Router, localeHint: Locale = 'zh-CN'): (question: string) => Judged {
  return (question) => {
    const understood = understand(question, router, localeHint);
    if (understood.kind !== 'message') return { decision: 'fallback', locale: understood.locale, results: [] };
    const { route, acts } = understood;
    if (route.decision !== 'handoff' && route.decision !== 'flow' && (acts.includes('human-indirect') || acts.includes('not-understood'))) return { decision: 'offer-handoff' };
    return route;
  };
}
