// History: every published version, newest first, with who, when and why; its changes entry
// by entry (before and after); and a rollback, which publishes a new version equal to an old one.
import { useEffect, useState } from 'preact/hooks';
import { AnswerPreview, failure, html, kb, Note, t, UI } from './deskParts.js';

function Whole({ entry, word }) {
  return html`<div class="side-of-change"><h5>${word}</h5>
    <p><strong>${entry.question}</strong></p>
    <p class="muted">${entry.alternates.join(' · ')}</p>
    ${entry.answer ? html`<${AnswerPreview} text=${entry.answer} label=${`${word} · ${entry.id}`} />` : null}
  </div>`;
}

/** What a lead changed in one entry, field by field: phrasings added and removed, question and answer before and after. */
function Changed({ before, after }) {
  const added = after.alternates.filter((line) => !before.alternates.includes(line));
  const removed = before.alternates.filter((line) => !after.alternates.includes(line));
  const both = (word, left, right) => html`<div class="change"><div class="side-of-change"><h5>${word} · ${t().beforeChange}</h5>${left}</div><div class="side-of-change"><h5>${word} · ${t().afterChange}</h5>${right}</div></div>`;
  return html`<div>
    ${before.question !== after.question ? both(t().question, html`<p>${before.question}</p>`, html`<p>${after.question}</p>`) : null}
    ${added.length ? html`<p><span class="badge">${t().phrasingsAdded}</span> ${added.map((line) => html`<ins>${line}</ins> `)}</p>` : null}
    ${removed.length ? html`<p><span class="badge">${t().phrasingsRemoved}</span> ${removed.map((line) => html`<del>${line}</del> `)}</p>` : null}
    ${before.answer !== after.answer ? both(t().answerChanged, html`<${AnswerPreview} text=${before.answer} />`, html`<${AnswerPreview} text=${after.answer} />`) : null}
  </div>`;
}

function Change({ change }) {
  const { before, after } = change;
  return html`<li><h4>${change.key}</h4>
    ${before && after ? html`<${Changed} before=${before} after=${after} />` : html`<${Whole} entry=${after || before} word=${after ? t().addedEntry : t().removedEntry} />`}
  </li>`;
}

function Changes({ number }) {
  const [changes, setChanges] = useState(null);
  useEffect(() => {
    void kb('GET', `/versions/${number}`).then((result) => setChanges(result.status === 200 ? result.body.changes : []));
  }, [number]);
  if (!changes) return html`<p class="muted">${t().loading}</p>`;
  return html`<ul class="changes">${changes.map((change) => html`<${Change} change=${change} />`)}</ul>`;
}

function Version({ version, serving, rollback }) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const when = new Date(version.publishedAt).toLocaleString(UI.i18n.lang());
  const d = version.diff;
  return html`<li class="version card-like" data-version=${version.number}>
    <div class="version-head">
      <strong>v${version.number}</strong>
      ${version.number === serving ? html`<span class="badge">${t().serving(version.number)}</span>` : null}
      <span>${version.message}</span>
      <span class="muted">${t().by(version.publishedBy, when)} · +${d.added.length} ~${d.changed.length} −${d.removed.length}</span>
    </div>
    <div class="actions">
      <button type="button" class="link" aria-expanded=${String(open)} onClick=${() => setOpen(!open)}>${t().changes}</button>
      ${version.number !== serving && !confirming ? html`<button type="button" class="secondary" data-rollback onClick=${() => setConfirming(true)}>${t().rollback}</button>` : null}
    </div>
    ${confirming
      ? html`<div class="confirm" role="group" aria-labelledby=${`rollback-${version.number}`}>
          <span id=${`rollback-${version.number}`}>${t().confirmRollback(version.number)}</span>
          <button type="button" data-confirm-rollback onClick=${() => (setConfirming(false), rollback(version.number))}>${t().confirmYes}</button>
          <button type="button" class="secondary" onClick=${() => setConfirming(false)}>${t().cancel}</button>
        </div>`
      : null}
    ${open ? html`<${Changes} number=${version.number} />` : null}
  </li>`;
}

export function HistoryTab({ generation, changed }) {
  const [data, setData] = useState(null);
  const [note, setNote] = useState(null);
  const load = async () => {
    const result = await kb('GET', '/versions');
    if (result.status === 200) setData(result.body);
    else setNote({ error: true, text: failure(result) });
  };
  useEffect(() => void load(), [generation]);

  const rollback = async (number) => {
    const result = await kb('POST', `/versions/${number}/rollback`, {});
    if (result.status !== 201) return setNote({ error: true, text: failure(result) });
    setNote({ text: t().rolledBack(result.body.version.number) });
    changed();
  };

  return html`<section class="tab-history">
    <h2 class="visually-hidden">${t().tab.history}</h2>
    <${Note} note=${note} />
    ${data === null ? (note ? null : html`<p class="muted">${t().loading}</p>`) : data.versions.length === 0 ? html`<p class="muted">${t().none}</p>` : html`<ol class="versions">${data.versions.map((version) => html`<${Version} key=${version.number} version=${version} serving=${data.serving} rollback=${rollback} />`)}</ol>`}
  </section>`;
}
