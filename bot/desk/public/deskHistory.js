// History: every published version, newest first, with who, when and why; its changes entry
// by entry (before and after); and a rollback, which publishes a new version equal to an old one.
import { useEffect, useState } from 'preact/hooks';
import { AnswerPreview, failure, html, kb, Note, t, UI } from './deskParts.js';

function Side({ entry, word }) {
  if (!entry) return html`<div class="side-of-change"><h5>${word}</h5><p class="muted">—</p></div>`;
  return html`<div class="side-of-change"><h5>${word}</h5>
    <p><strong>${entry.question}</strong></p>
    <p class="muted">${entry.alternates.join(' · ')}</p>
    ${entry.answer ? html`<${AnswerPreview} text=${entry.answer} label=${`${word} · ${entry.id}`} />` : null}
  </div>`;
}

function Changes({ number }) {
  const [changes, setChanges] = useState(null);
  useEffect(() => {
    void kb('GET', `/versions/${number}`).then((result) => setChanges(result.status === 200 ? result.body.changes : []));
  }, [number]);
  if (!changes) return html`<p class="muted">${t().loading}</p>`;
  return html`<ul class="changes">${changes.map(
    (change) => html`<li><h4>${change.key}</h4><div class="change"><${Side} entry=${change.before} word=${t().beforeChange} /><${Side} entry=${change.after} word=${t().afterChange} /></div></li>`,
  )}</ul>`;
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
    ${data === null ? html`<p class="muted">${t().loading}</p>` : data.versions.length === 0 ? html`<p class="muted">${t().none}</p>` : html`<ol class="versions">${data.versions.map((version) => html`<${Version} key=${version.number} version=${version} serving=${data.serving} rollback=${rollback} />`)}</ol>`}
  </section>`;
}
