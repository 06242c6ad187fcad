import { ACTIVE_SCHEME, BARE_ADDRESS, judgeLink, MARKDOWN_LINK, REFERENCE_DEFINITION } from './answerLinks';
import type { Locale } from '../domain/locale';

/**
 * What an answer may hold, wherever it was written (a YAML file today, a lead's page soon):
 * plain text with Markdown emphasis and lists, the KB's {placeholders}, and https links to the
 * hosts the deployment trusts. It is shown in the widget, in Teams and to agents, so markup and
 * active links are refused here, with a reason a lead can act on.
 */

/**
 * One chat bubble: about a phone screen of text. Chinese characters are twice as wide as Latin
 * letters, so the English bubble holds twice as many.
 */
export const ANSWER_MAX_CHARS: Readonly<Record<Locale, number>> = { 'zh-CN': 500, 'en-US': 1000 };

/** A tag, a comment or a declaration: anything an HTML reader would act on. */
const MARKUP = /<\/?[A-Za-z][^<>\n]*>?|<!--|<[!?][A-Za-z]/;

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

export function answerTextProblems(text: string, locale: Locale, linkHosts: readonly string[]): string[] {
  const problems: string[] = [];
  const length = [...text].length;
  const max = ANSWER_MAX_CHARS[locale];
  if (length > max) problems.push(`is ${length} characters; one chat bubble holds at most ${max} in ${locale}: shorten it, or split it into entries linked by followUps`);
  const markup = MARKUP.exec(text);
  if (markup) problems.push(`contains markup ${shown(markup[0])}: answers are plain text with Markdown, shown as typed and never as HTML`);
  const active = ACTIVE_SCHEME.exec(text);
  if (active) problems.push(`contains "${active[0]}": such addresses run code or embed content; link to an https:// page instead`);
  const targets = new Set<string>();
  for (const [, bang, , target] of text.matchAll(MARKDOWN_LINK)) {
    if (bang) problems.push(`contains an image (![…](${shown(target ?? '')})): an answer is text; describe the picture or link to a page that shows it`);
    else targets.add(target ?? '');
  }
  for (const [, target] of text.matchAll(REFERENCE_DEFINITION)) targets.add(target ?? '');
  for (const [address] of text.replace(MARKDOWN_LINK, ' ').matchAll(BARE_ADDRESS)) targets.add(/^www\./i.test(address) ? `https://${address}` : address);
  for (const target of targets) {
    if (ACTIVE_SCHEME.test(target)) continue;
    const verdict = judgeLink(target, linkHosts);
    if (!verdict.ok) problems.push(verdict.reason);
  }
  return problems;
}
