// What every tab of the knowledge desk uses: htm bound to Preact, the shared session call
// aimed at /api/knowledge, and small views. Preact puts strings on the page as text, and no
// part of the desk ever sets HTML: what leads and users typed stays inert.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export const UI = window.kefuUi;
export const t = () => UI.t();
export const enc = encodeURIComponent;

/** A call to the knowledge API (`path` after /api/knowledge): `{ status, body, headers, refused? }`. */
export const kb = (method, path, body, headers) => UI.api(method, `/api/knowledge${path}`, body, headers);

/** The entry's id and question, as lists and buttons name it. */
export const entryName = (entry) => entry.question || entry.id;

/** A line saying how an action went: polite for news, assertive for problems. */
export function Note({ note }) {
  if (!note) return html`<p class="note" role="status"></p>`;
  return note.error
    ? html`<div class="note error" role="alert">${note.text}${note.list ? html`<ul>${note.list.map((line) => html`<li>${line}</li>`)}</ul>` : null}</div>`
    : html`<p class="note" role="status">${note.text}</p>`;
}

/** Why a call failed, in the lead's language where we know the case, else the server's words. */
export function failure(result) {
  if (result.status === 0) return t().disconnected;
  // The server's outage answer (bot/http/guards.ts), said in the lead's language.
  if (result.status === 503 && result.body && result.body.error === 'service temporarily unavailable') return t().unavailable;
  return (result.body && result.body.error) || t().failed;
}

const INLINE = /(\*\*[^*]+\*\*|\[[^\]]+\]\([^)\s]+\)|\{[A-Za-z]+\})/g;

/**
 * One line of an answer as Web Chat shows it: bold, links (words and address), placeholders
 * filled with what users will read (marked, the name on hover). All text nodes.
 */
function inline(line, values) {
  return line.split(INLINE).map((part) => {
    if (/^\*\*[^*]+\*\*$/.test(part)) return html`<strong>${part.slice(2, -2)}</strong>`;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    // Never a live link in the preview: an https link as the widget styles it, with where it leads
    // (the host list is the server's to check on save); anything else is its words alone, as the widget shows it.
    if (link) return /^https:\/\//i.test(link[2]) ? html`<span class="as-link">${link[1]}</span><span class="muted"> (${link[2]})</span>` : link[1];
    if (/^\{[A-Za-z]+\}$/.test(part)) {
      const value = values && values[part.slice(1, -1)];
      return value === undefined ? html`<span class="placeholder">${part}</span>` : html`<span class="placeholder" title=${part}>${value}</span>`;
    }
    return part;
  });
}

/** An answer previewed as the widget's bot bubble: paragraphs, "- " lists, emphasis. Inert: never HTML. */
export function AnswerPreview({ text, label, values }) {
  const blocks = [];
  for (const line of String(text || '').split('\n')) {
    const item = /^\s*(?:([-*])|\d+[.)])\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    const list = item && (item[1] ? 'ul' : 'ol');
    if (item) {
      if (last && last.list === list) last.items.push(item[2]);
      else blocks.push({ list, items: [item[2]] });
    } else if (line.trim()) blocks.push({ list: null, text: line });
  }
  return html`<div class="bubble" role="group" aria-label=${label || t().preview}>
    ${blocks.map((block) => {
      const items = block.list && block.items.map((item) => html`<li>${inline(item, values)}</li>`);
      return block.list === 'ol' ? html`<ol>${items}</ol>` : block.list === 'ul' ? html`<ul>${items}</ul>` : html`<p>${inline(block.text, values)}</p>`;
    })}
  </div>`;
}
