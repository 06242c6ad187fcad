/**
 * Where an answer may send a reader: https only, to a host the deployment lists (KB_LINK_HOSTS).
 * Both the knowledge check (knowledge/answerText.ts) and the renderers
 * (bot/channels/inertMarkdown.ts) ask this one question, so they cannot disagree.
 */
export type LinkVerdict = { ok: true } | { ok: false; reason: string };

export function judgeLink(target: string, hosts: readonly string[]): LinkVerdict {
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    return { ok: false, reason: `links to "${target}": a link must be a whole https:// address` };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `links to "${target}": a link must start with https://` };
  // user@host hides the real host from the reader; a port is another service than the site.
  if (url.username || url.password || url.port) return { ok: false, reason: `links to "${target}": a link names a host only, no user, password or port` };
  const host = url.hostname.toLowerCase();
  if (!hosts.some((allowed) => allowed.toLowerCase() === host)) {
    const allowed = hosts.length > 0 ? hosts.join(', ') : 'none yet';
    return { ok: false, reason: `links to ${host}, which is not on KB_LINK_HOSTS (allowed: ${allowed})` };
  }
  return { ok: true };
}

/**
 * `[text](target)` and `![alt](target)`, the target up to its closing parenthesis or a space (a
 * title may follow); like Markdown, balanced parentheses inside the target belong to it.
 */
export const MARKDOWN_LINK = /(!?)\[([^\]\n]*)\]\(\s*<?((?:[^\s()>]|\([^\s()]*\))*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
/** A reference definition, `[name]: target`, which makes `[name]` a link elsewhere in the text. */
export const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:\s*<?(\S*?)>?(?:\s.*)?$/gm;
/** An address written out, which Markdown readers (Web Chat, Teams) turn into a link by themselves. */
export const BARE_ADDRESS = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>()[\]]+/gi;
/** Schemes that run or embed something wherever they appear, link syntax or not. */
export const ACTIVE_SCHEME = /\b(?:javascript|vbscript|data|file):/i;
