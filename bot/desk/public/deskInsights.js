// Insights: hosts the Insights view (insights.js: the last 30 days as charts, each named and
// summed up in words) with the lead's session and language.
import { useEffect, useState } from 'preact/hooks';
import { Insights } from './insights.js';
import { failure, html, kb, Note, t, UI } from './deskParts.js';

export function InsightsTab({ generation }) {
  const [data, setData] = useState(null);
  const [note, setNote] = useState(null);
  useEffect(() => {
    void kb('GET', '/insights?days=30').then((result) => (result.status === 200 ? setData(result.body) : setNote({ error: true, text: failure(result) })));
  }, [generation]);
  if (!data) {
    return html`<section class="tab-insights">
      <h2 class="visually-hidden">${t().tab.insights}</h2>
      <${Note} note=${note} />
      ${note ? null : html`<p class="muted" role="status">${t().insightsLoading}</p>`}
    </section>`;
  }
  return html`<${Insights} data=${data} lang=${UI.i18n.lang()} />`;
}
