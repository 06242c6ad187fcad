import { judgeLink, MARKDOWN_LINK, REFERENCE_DEFINITION } from '../../knowledge/answerLinks';

/**
 * The bot's Markdown made harmless for any reader (Web Chat, Teams, an Adaptive Card): whatever
 * got past `kb check` (a file edited on a server, a store written by hand) is still shown as
 * text. Markup is shown as typed, images as their words, and a link to anything but an
 * https page on KB_LINK_HOSTS as its words alone.
 */

// `<` before a letter, `/`, `!` or `?` opens markup; as an entity every Markdown reader shows it as typed.
const MARKUP_OPENING = /<(?=[A-Za-z/!?])/g;

export function inertMarkdown(markdown: string, linkHosts: readonly string[]): string {
  return markdown
    .replace(MARKUP_OPENING, '&lt;')
    .replace(MARKDOWN_LINK, (whole, bang: string, words: string, target: string) => {
      if (bang) return words;
      return judgeLink(target, linkHosts).ok ? whole : words;
    })
    .replace(REFERENCE_DEFINITION, (whole, target: string) => (judgeLink(target, linkHosts).ok ? whole : `\\${whole.trimStart()}`));
}
