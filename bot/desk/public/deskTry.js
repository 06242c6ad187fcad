// Try: one sentence routed by the draft and by the published version, side by side.
import { useState } from 'preact/hooks';
import { AnswerPreview, failure, html, kb, Note, t } from './deskParts.js';

/** A route's decision in the lead's words; a flow (`flow:unlock`) keeps its name after them. */
function decisionText(decision) {
  const [kind, detail] = decision.split(':');
  const words = t().decisions[kind] || kind;
  return detail ? `${words} · ${detail}` : words;
}

function Route({ side, route }) {
  return html`<section class="try-side card-like" data-try=${side} aria-labelledby=${`try-${side}`}>
    <h3 id=${`try-${side}`}>${side === 'draft' ? t().draftSide : t().publishedSide}</h3>
    ${route
      ? html`<dl class="facts">
            <dt>${t().decision}</dt><dd data-decision=${route.decision}>${decisionText(route.decision)}</dd>
            ${route.entryId ? html`<dt>${t().entry}</dt><dd>${route.question || ''} <span class="muted">(${route.entryId})</span></dd>` : null}
          </dl>
          ${route.answer ? html`<${AnswerPreview} text=${route.answer} label=${`${t().preview} · ${side === 'draft' ? t().draftSide : t().publishedSide}`} />` : null}
          ${route.top.length
            ? html`<h4>${t().top}</h4><ol class="top">${route.top.map((c) => html`<li>${c.question} <span class="muted">${c.id} · ${Math.round(c.score * 100)}%</span></li>`)}</ol>`
            : null}`
      : html`<p class="muted">—</p>`}
  </section>`;
}

export function TryTab({ locale }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState(null);
  const [note, setNote] = useState(null);
  const run = async (event) => {
    event.preventDefault();
    if (!text.trim()) return;
    const answer = await kb('POST', '/try', { text, locale });
    if (answer.status !== 200) return setNote({ error: true, text: failure(answer) });
    setNote(null);
    setResult(answer.body);
  };
  return html`<section class="tab-try">
    <h2 class="visually-hidden">${t().tab.try}</h2>
    <form class="try-form" onSubmit=${run}>
      <label for="try-text">${t().tryLabel}</label>
      <textarea id="try-text" name="try-text" rows="2" maxlength="500" value=${text} onInput=${(event) => setText(event.currentTarget.value)}
        onKeyDown=${(event) => event.key === 'Enter' && !event.shiftKey && run(event)}></textarea>
      <button type="submit">${t().tryIt}</button>
    </form>
    <${Note} note=${note} />
    <div class="try-results" aria-live="polite">
      <${Route} side="draft" route=${result && result.draft} />
      <${Route} side="published" route=${result && result.published} />
    </div>
  </section>`;
}
