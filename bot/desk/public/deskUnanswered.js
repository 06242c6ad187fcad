// Unanswered: what users asked that the bot could not answer (and answers voted down), grouped
// by wording, biggest first, masked by the server. One action adds a group's wording to the
// suggested entry's draft.
import { useEffect, useState } from 'preact/hooks';
import { enc, failure, html, kb, Note, t, UI } from './deskParts.js';

function Group({ group, resolve }) {
  const [first, ...others] = group.nearest;
  const heading = `group-${group.id}`;
  return html`<article class="group card-like" data-group=${group.id} aria-labelledby=${heading}>
    <h3 id=${heading}>${UI.userLine(group.examples[0])}</h3>
    <p class="muted">${t().times(group.count, group.conversations)}</p>
    ${group.examples.length > 1
      ? html`<details><summary>${t().examples} (${group.examples.length})</summary><ul>${group.examples.map((line) => html`<li>${UI.userLine(line)}</li>`)}</ul></details>`
      : null}
    ${group.downvoted.length ? html`<p class="muted">${t().downvoted}: ${group.downvoted.join('、')}</p>` : null}
    <div class="actions">
      ${first ? html`<button type="button" data-add-to=${first.id} onClick=${() => resolve(group, { action: 'phrasing', entryId: first.id }, first)}>${t().addTo(first.question)}</button>` : null}
      ${others.map(
        (entry) => html`<button type="button" class="secondary" data-add-to=${entry.id} onClick=${() => resolve(group, { action: 'phrasing', entryId: entry.id }, entry)}>
          ${t().addTo(entry.question)} <span class="score">${Math.round(entry.score * 100)}%</span>
        </button>`,
      )}
      <button type="button" class="link" onClick=${() => resolve(group, { action: 'dismiss' })}>${t().dismiss}</button>
    </div>
  </article>`;
}

export function UnansweredTab({ locale, generation, changed }) {
  const [groups, setGroups] = useState(null);
  const [note, setNote] = useState(null);

  const load = async () => {
    const result = await kb('GET', `/unanswered?locale=${locale}`);
    if (result.status === 200) setGroups(result.body.groups);
    else setNote({ error: true, text: failure(result) });
  };
  useEffect(() => void load(), [locale, generation]);

  const resolve = async (group, body, entry) => {
    const result = await kb('POST', `/unanswered/${enc(group.id)}/resolve`, body);
    if (result.status !== 200) return setNote({ error: true, text: failure(result) });
    setGroups((list) => list.filter((g) => g.id !== group.id));
    setNote({ text: entry ? t().added(entry.question) : t().dismissed });
    changed();
  };

  return html`<section class="tab-unanswered">
    <h2 class="visually-hidden">${t().tab.unanswered}</h2>
    <${Note} note=${note} />
    ${groups === null ? html`<p class="muted">${t().loading}</p>` : groups.length === 0 ? html`<p class="muted">${t().noGroups}</p>` : html`<div class="groups">${groups.map((group) => html`<${Group} key=${group.id} group=${group} resolve=${resolve} />`)}</div>`}
  </section>`;
}
