import { renderAnswer, type AnswerValues } from '../knowledge/placeholders';
import type { FaqEntry, Locale } from '../knowledge/schema';
import { flowMessages } from './flows/flowMessages';
import { FLOW_REGISTRY } from './flows/registry';
import { messages } from './messages';
import { sendsToSupport } from './supportMention';
import type { Reply, Suggestion } from './reply';

/** Replies of the root conversation, built from data only: no state, no I/O. */

/**
 * `values` fill the answer's placeholders (in the entry's language); `offer` is a button that
 * starts what the answer describes (a guided flow).
 */
/** 👍 / 👎 under an answer, and after thanks. */
export function feedbackButtons(locale: Locale): Suggestion[] {
  const m = messages(locale);
  // Words carry the meaning: without an emoji font the emoji is an empty box, and a click echoes the value as the user's line.
  return [
    { title: `👍 ${m.helpful}`, value: m.helpful },
    { title: `👎 ${m.notHelpful}`, value: m.notHelpful },
  ];
}

export function answerReply(entry: FaqEntry, related: readonly FaqEntry[], values: AnswerValues, offer?: Suggestion): Reply {
  const m = messages(entry.locale);
  const answer = renderAnswer(entry.answer.trim(), values);
  const relatedList = related.map((r) => `- ${r.question}`).join('\n');
  const text = related.length > 0 ? `${answer}\n\n${m.relatedHeading}\n${relatedList}` : answer;
  // Every follow-up listed is a button (labels wrap in the widget), after the way to a person
  // when the answer itself says to contact support.
  const suggestions = [
    ...feedbackButtons(entry.locale),
    ...(offer ? [offer] : []),
    ...(sendsToSupport(answer, entry.locale) ? [{ title: m.yesHuman, value: m.yesHuman, extra: true }] : []),
    ...related.map((r) => ({ title: r.question, value: r.question, extra: true })),
  ];
  return { text, suggestions };
}

/** `intro` replaces "您是想问：" (after a "不是" to a single guess, say). */
export function clarifyReply(options: readonly { question: string }[], locale: Locale, intro?: string): Reply {
  const m = messages(locale);
  if (options.length === 0) return { text: m.confirmDeniedNoOthers, suggestions: [{ title: m.yesHuman, value: m.yesHuman }] };
  const list = options.map((o, i) => `${i + 1}. ${o.question}`).join('\n');
  return {
    text: `${intro ?? m.clarifyIntro}\n\n${list}\n\n${m.clarifyOutro}`,
    suggestions: [...options.map((o) => ({ title: o.question, value: o.question })), { title: m.noneOfThese, value: m.noneOfThese }],
  };
}

/** A yes/no question whose buttons say what typing "是的" / "不是" says. */
export function yesNoReply(text: string, locale: Locale): Reply {
  const m = messages(locale);
  return { text, suggestions: [{ title: m.yes, value: m.yes }, { title: m.no, value: m.no }] };
}

/** "您是想问「忘记密码怎么办」吗？" */
export function confirmReply(question: string, locale: Locale): Reply {
  return yesNoReply(messages(locale).confirmQuestion(question), locale);
}

export function offerHumanReply(locale: Locale): Reply {
  const m = messages(locale);
  return { text: m.offerHuman, suggestions: [{ title: m.yesHuman, value: m.yesHuman }, { title: m.noThanks, value: m.noThanks }] };
}

/** Three invalid answers in a row at a flow's step: a person, the step again, or leave. */
export function flowStuckReply(locale: Locale): Reply {
  const m = messages(locale);
  const words = [m.yesHuman, m.noThanks, flowMessages(locale).cancel];
  return { text: m.flowStuck, suggestions: words.map((w) => ({ title: w, value: w })) };
}

export function welcomeReply(locale: Locale): Reply {
  const m = messages(locale);
  return { text: m.welcome, suggestions: m.sampleQuestions.map((q) => ({ title: q, value: q })) };
}

/** What the bot can do, each as a button whose words start it, then a person. */
export function helpReply(locale: Locale): Reply {
  const m = messages(locale);
  const actions = [...FLOW_REGISTRY.map((flow) => flow.startPhrase(m)), m.yesHuman];
  return { text: m.help, suggestions: actions.map((words) => ({ title: words, value: words })) };
}

export function textReply(text: string): Reply {
  return { text };
}
