// Publish: the draft against the published version on the dev sets (each figure before and
// after, the lines that newly fail), then a message and publish. A refused publish shows
// its reasons; "publish anyway" appears only with them, and asks once more.
import { useState } from 'preact/hooks';
import { failure, html, kb, Note, t } from './deskParts.js';

const FIGURES = [
  ['rightFirst', 'rightFirst'],
  ['straight', 'straight'],
  ['wrong', 'wrong'],
  ['clarify', 'clarify'],
  ['fallbackPrecision', 'fbPrecision'],
  ['fallbackRecall', 'fbRecall'],
];
const pct = (n) => (typeof n === 'number' ? `${n.toFixed(1)}%` : '—');

const SHOWN_FAILING = 8;
const failingLine = (line) => html`<li>${line.question} <span class="muted">${t().expected} ${line.expected} · ${t().after}：${line.after}</span></li>`;

/** The newly failing lines: the first few, the rest one click away (a broken draft can fail dozens). */
function failingLines(lines) {
  const rest = lines.slice(SHOWN_FAILING);
  return html`<ul class="failing">${lines.slice(0, SHOWN_FAILING).map(failingLine)}</ul>
    ${rest.length ? html`<details><summary>${t().moreFailing(rest.length)}</summary><ul class="failing">${rest.map(failingLine)}</ul></details>` : null}`;
}

function SetFigures({ set }) {
  const caption = set.name === set.locale ? set.name : `${set.name} · ${set.locale}`;
  return html`<div class="set card-like" data-set=${set.name}>
    <table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${t().figure}</th><th scope="col">${t().before}</th><th scope="col">${t().after}</th></tr></thead>
      <tbody>
        ${FIGURES.map(([key, word]) => {
          const delta = (set.after[key] ?? 0) - (set.before[key] ?? 0);
          // More clarifying is neither better nor worse by itself; more wrong answers is worse.
          const worse = key === 'wrong' ? delta > 0 : delta < 0;
          const marked = delta !== 0 && key !== 'clarify';
          return html`<tr class=${marked ? (worse ? 'worse' : 'better') : ''}><th scope="row">${t()[word]}</th><td>${pct(set.before[key])}</td><td>${pct(set.after[key])}</td></tr>`;
        })}
      </tbody>
    </table>
    ${set.newlyFailing.length ? html`<h4>${t().newlyFailing} (${set.newlyFailing.length})</h4>${failingLines(set.newlyFailing)}` : null}
  </div>`;
}

export function PublishTab({ changed }) {
  const [evaluation, setEvaluation] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [note, setNote] = useState(null);
  const [refusal, setRefusal] = useState(null);
  const [confirming, setConfirming] = useState(false);

  const evaluate = async () => {
    setBusy(true);
    setNote({ text: t().evaluating });
    const result = await kb('POST', '/evaluate', {});
    setBusy(false);
    if (result.status !== 200) return setNote({ error: true, text: failure(result) });
    setEvaluation(result.body);
    setNote(result.body.gate.ok ? { text: t().gateOk } : { error: true, text: t().gateNo, list: result.body.gate.findings.map(t().finding) });
  };

  const publish = async (force) => {
    if (!message.trim()) return setNote({ error: true, text: t().needMessage });
    setBusy(true);
    const result = await kb('POST', '/publish', force ? { message, force: true } : { message });
    setBusy(false);
    setConfirming(false);
    if (result.status === 201) {
      setRefusal(null);
      setMessage('');
      setNote({ text: t().published(result.body.version.number) });
      return changed();
    }
    if (result.status === 409 && result.body && result.body.findings) {
      setRefusal(result.body.findings);
      if (result.body.evaluation) setEvaluation(result.body.evaluation);
      return setNote({ error: true, text: t().refused, list: result.body.findings.map(t().finding) });
    }
    setNote({ error: true, text: failure(result) });
  };

  return html`<section class="tab-publish">
    <h2 class="visually-hidden">${t().tab.publish}</h2>
    <div class="actions"><button type="button" data-evaluate disabled=${busy} onClick=${evaluate}>${t().evaluate}</button></div>
    ${evaluation
      ? html`<div class="evaluation" data-evaluation>
          <div class="sets">${evaluation.sets.map((set) => html`<${SetFigures} set=${set} />`)}</div>
          ${evaluation.resolved && evaluation.resolved.total ? html`<p>${t().resolvedLine(evaluation.resolved)}</p>` : null}
        </div>`
      : null}
    <form class="publish-form" onSubmit=${(event) => (event.preventDefault(), publish(false))}>
      <label for="publish-message">${t().publishMessage}</label>
      <textarea id="publish-message" name="publish-message" rows="2" maxlength="500" value=${message} onInput=${(event) => setMessage(event.currentTarget.value)}></textarea>
      <div class="actions">
        <button type="submit" data-publish disabled=${busy}>${t().publish}</button>
        ${refusal && !confirming ? html`<button type="button" class="secondary" data-publish-anyway onClick=${() => setConfirming(true)}>${t().publishAnyway}</button>` : null}
      </div>
      ${confirming
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-anyway">
            <span id="confirm-anyway">${t().confirmAnyway}</span>
            <button type="button" data-confirm-anyway onClick=${() => publish(true)}>${t().confirmYes}</button>
            <button type="button" class="secondary" onClick=${() => setConfirming(false)}>${t().cancel}</button>
          </div>`
        : null}
    </form>
    <${Note} note=${note} />
  </section>`;
}
