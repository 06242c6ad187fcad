// Entries: search the draft's entries, edit one (question, phrasings, answer, follow-ups,
// action) with its answer previewed as the widget shows it, and save with If-Match: when
// another lead saved first, the 409's current text is shown and nothing of theirs is lost.
import { useEffect, useState } from 'preact/hooks';
import { problemText } from './deskProblems.js';
import { AnswerPreview, enc, entryName, failure, html, kb, Note, t } from './deskParts.js';

const ACTIONS = ['', 'unlock', 'phone-change', 'appeal', 'appeal-status', 'handoff'];
const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);
const ids = (text) => text.split(/[,，\s]+/).map((id) => id.trim()).filter(Boolean);

/** The form's fields from an entry, and the entry from the form's fields (other fields kept as they were). */
const formOf = (entry) => ({ question: entry.question, alternates: entry.alternates.join('\n'), answer: entry.answer || '', followUps: (entry.followUps || []).join(', '), action: entry.action || '' });
function entryOf(entry, form) {
  const next = { ...entry, question: form.question.trim(), alternates: lines(form.alternates) };
  if (entry.kind !== 'act') next.answer = form.answer;
  const followUps = ids(form.followUps);
  if (followUps.length) next.followUps = followUps;
  else delete next.followUps;
  if (form.action) next.action = form.action;
  else delete next.action;
  return next;
}

function Editor({ locale, id, saved, values }) {
  const [loaded, setLoaded] = useState(null);
  const [form, setForm] = useState(null);
  const [note, setNote] = useState(null);
  const [conflict, setConflict] = useState(null);

  const load = async () => {
    const result = await kb('GET', `/entries/${locale}/${enc(id)}`);
    if (result.status !== 200) return setNote({ error: true, text: failure(result) });
    const etag = (result.headers.get('etag') || '').replace(/^W\//, '').replace(/"/g, '');
    setLoaded({ entry: result.body, etag });
    setForm(formOf(result.body));
    setConflict(null);
  };
  useEffect(() => {
    setNote(null);
    void load();
  }, [locale, id]);

  if (!form) return html`<div class="editor"><${Note} note=${note} /></div>`;
  const field = (name) => ({ value: form[name], onInput: (event) => setForm({ ...form, [name]: event.currentTarget.value }) });

  const save = async (event) => {
    event.preventDefault();
    const body = entryOf(loaded.entry, form);
    const result = await kb('PUT', `/entries/${locale}/${enc(id)}`, body, { 'if-match': `"${loaded.etag}"` });
    if (result.status === 200) {
      setLoaded({ entry: result.body.entry, etag: result.body.etag });
      setNote({ text: t().saved });
      setConflict(null);
      return saved();
    }
    if (result.status === 409 && result.body && result.body.current) {
      setConflict({ entry: result.body.current, etag: result.body.etag });
      return setNote({ error: true, text: t().conflict });
    }
    if (result.status === 400 && result.body && result.body.problems) {
      return setNote({ error: true, text: t().invalid, list: result.body.problems.map(problemText) });
    }
    setNote({ error: true, text: failure(result) });
  };
  const takeCurrent = () => {
    setLoaded(conflict);
    setForm(formOf(conflict.entry));
    setConflict(null);
    setNote(null);
  };
  const isAct = loaded.entry.kind === 'act';

  return html`<form class="editor" onSubmit=${save} aria-labelledby="editor-title">
    <h3 id="editor-title" tabindex="-1">${loaded.entry.id} <span class="muted">${loaded.entry.kind || 'faq'}</span></h3>
    <label>${t().question}<input name="question" required ...${field('question')} /></label>
    <label>${t().alternates}<textarea name="alternates" rows="4" ...${field('alternates')}></textarea></label>
    ${isAct
      ? null
      : html`<label>${t().answer}<textarea name="answer" rows="6" ...${field('answer')}></textarea></label>
          <p class="muted">${t().preview} · ${t().placeholderNote}</p>
          <${AnswerPreview} text=${form.answer} values=${values} />
          <label>${t().followUps}<input name="followUps" ...${field('followUps')} /></label>
          <label>${t().action}
            <select name="action" ...${field('action')} onChange=${(event) => setForm({ ...form, action: event.currentTarget.value })}>
              ${ACTIONS.map((action) => html`<option value=${action}>${action || t().noAction}</option>`)}
            </select>
          </label>`}
    <div class="actions"><button type="submit" data-save>${t().save}</button></div>
    <${Note} note=${note} />
    ${conflict
      ? html`<div class="conflict card-like" data-conflict>
          <p><strong>${entryName(conflict.entry)}</strong></p>
          <p class="muted">${conflict.entry.alternates.join(' · ')}</p>
          ${conflict.entry.answer ? html`<${AnswerPreview} text=${conflict.entry.answer} values=${values} />` : null}
          <button type="button" class="secondary" onClick=${takeCurrent}>${t().useCurrent}</button>
        </div>`
      : null}
  </form>`;
}

export function EntriesTab({ locale, generation, changed }) {
  const [list, setList] = useState(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(null);
  const [note, setNote] = useState(null);

  const load = async () => {
    const result = await kb('GET', `/entries?locale=${locale}`);
    if (result.status === 200) setList(result.body);
    else setNote({ error: true, text: failure(result) });
  };
  useEffect(() => void load(), [locale, generation]);

  const wanted = query.trim().toLowerCase();
  const shown = (list ? list.entries : []).filter(({ entry }) => !wanted || [entry.id, entry.question, ...entry.alternates, entry.answer || ''].some((text) => text.toLowerCase().includes(wanted)));
  return html`<section class=${open ? 'tab-entries has-selection' : 'tab-entries'}>
    <h2 class="visually-hidden">${t().tab.entries}</h2>
    <div class="entry-list">
      <label class="search"><span class="visually-hidden">${t().search}</span>
        <input type="search" name="entry-search" placeholder=${t().search} value=${query} onInput=${(event) => setQuery(event.currentTarget.value)} />
      </label>
      <p class="muted" role="status">${list ? t().results(shown.length) : t().loading}</p>
      <${Note} note=${note} />
      <ul class="items">
        ${shown.slice(0, 200).map(
          ({ entry, status }) => html`<li key=${entry.id} class=${open === entry.id ? 'selected' : ''}>
            <button type="button" class="item" data-entry=${entry.id} aria-current=${open === entry.id ? 'true' : undefined} onClick=${() => setOpen(entry.id)}>
              <span class="line1">${entry.question}${status !== 'published' ? html` <span class="badge">${t().status[status]}</span>` : null}</span>
              <span class="meta">${entry.id}</span>
            </button>
          </li>`,
        )}
      </ul>
      ${list && list.removed.length ? html`<p class="muted">${t().removed}: ${list.removed.join(', ')}</p>` : null}
    </div>
    ${open ? html`<${Editor} key=${`${locale}/${open}`} locale=${locale} id=${open} saved=${changed} values=${list && list.placeholders} />` : html`<p class="muted editor">${t().pickEntry}</p>`}
  </section>`;
}
