import type { Locale } from './schema';

/**
 * Answers may name deployment facts as `{placeholder}`; they are filled in when an answer is
 * shown, so the same knowledge files hold for every deployment. Only these names exist:
 * `kb check` refuses any other, so a typo never reaches a user as raw braces.
 */
export const ANSWER_PLACEHOLDERS = ['supportHours', 'uploadLimit', 'menuAccountSecurity', 'menuBindPhone', 'menuChangePhone'] as const;
export type AnswerPlaceholder = (typeof ANSWER_PLACEHOLDERS)[number];

/** What each placeholder reads as, in one language. */
export type AnswerValues = Readonly<Record<AnswerPlaceholder, string>>;
/** Built once from the configuration. */
export type LocalizedAnswerValues = Readonly<Record<Locale, AnswerValues>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

const isKnown = (name: string): name is AnswerPlaceholder => (ANSWER_PLACEHOLDERS as readonly string[]).includes(name);

/** Names written as `{name}` in a text that are not placeholders, each once. */
export function unknownPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !isKnown(name)))];
}

/**
 * The answer as the user reads it. One pass: a value that itself contains braces is shown as
 * it is, never expanded again.
 */
export function renderAnswer(text: string, values: AnswerValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (isKnown(name) ? values[name] : whole));
}
