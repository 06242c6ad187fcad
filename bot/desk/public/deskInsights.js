// Insights: the bot's figures day by day (h28ins's view, insights.js, is hosted here when present).
import { html, t } from './deskParts.js';

export function InsightsTab() {
  return html`<section class="tab-insights" data-insights>
    <h2 class="visually-hidden">${t().tab.insights}</h2>
    <p class="muted" role="status">${t().insightsLoading}</p>
  </section>`;
}
