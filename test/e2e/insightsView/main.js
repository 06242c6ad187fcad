// The test page's host: what /knowledge's Insights tab does with the view (fetch as the lead, render).
import { h, render } from 'preact';
import { Insights } from '/test-insights/insights.js';

const lang = new window.URLSearchParams(window.location.search).get('lang') || 'zh-CN';
document.documentElement.lang = lang;
const response = await fetch('/api/knowledge/insights?days=30', { headers: { 'x-kefu-agent': '1' } });
const app = document.getElementById('app');
app.textContent = '';
if (response.status === 200) render(h(Insights, { data: await response.json(), lang }), app);
else app.textContent = `HTTP ${response.status}`;
