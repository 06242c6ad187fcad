// The knowledge desk's Insights tab: the last days of GET /api/knowledge/insights as
// pictures (Chart.js, served from node_modules), each chart with an accessible name and a
// sentence saying what it shows, since a canvas alone says nothing to a screen reader.
// Users' wordings are rendered as text nodes and drawn on canvas: never parsed as markup.
import { h, Component, createRef } from 'preact';
import htm from 'htm';
import '/knowledge/vendor/chart.umd.js';

const html = htm.bind(h);
const Chart = globalThis.Chart;

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies, readable on white. */
const COLOURS = { blue: '#0072B2', orange: '#E69F00', green: '#009E73', vermillion: '#D55E00', purple: '#CC79A7', sky: '#56B4E9', grey: '#6B7280' };
const REASON_COLOURS = {
  'user-request': COLOURS.blue,
  'repeated-fallback': COLOURS.orange,
  complaint: COLOURS.vermillion,
  security_alert: COLOURS.purple,
  'old-number-unavailable': COLOURS.sky,
  'flow-stuck': COLOURS.green,
};

const pct = (part, whole) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
const SHORT = 14;
const shortened = (text) => (text.length > SHORT ? `${text.slice(0, SHORT - 1)}…` : text);
const sum = (days, pick) => days.reduce((n, day) => n + pick(day), 0);

export const INSIGHTS_WORDS = {
  'zh-CN': {
    insightsTitle: '数据',
    insightsPeriod: (n) => `最近 ${n} 天，按北京时间每天统计。`,
    chartConversations: '每天的对话数',
    chartContainment: '机器人独立解决的比例（没有人工接入）',
    chartFallback: '答不上来的比例',
    chartVotes: '每天的 👍 / 👎',
    chartHandoffs: '每天转人工的次数（按原因）',
    chartCsat: '人工服务评分（每天平均，满分 5）',
    chartTop: '答不上来最多的问法',
    seriesConversations: '对话',
    seriesAnsweredByBot: '机器人独立解决',
    seriesContainment: '独立解决率',
    seriesFallback: '答不上来',
    seriesUp: '👍 有帮助',
    seriesDown: '👎 没帮助',
    seriesCsat: '平均分',
    seriesTimes: '次数',
    reasons: { 'user-request': '用户要求', 'repeated-fallback': '多次答不上来', complaint: '投诉', security_alert: '安全锁定', 'old-number-unavailable': '旧号码不可用', 'flow-stuck': '办理受阻' },
    sumConversations: (total, avg, day, max) => (total ? `共 ${total} 次对话，日均 ${avg} 次；最多的一天是 ${day}（${max} 次）。` : '这段时间没有对话。'),
    sumContainment: (answered, total, rate) => (total ? `${total} 次对话中，${answered} 次由机器人独立解决（${rate}%）。` : '没有对话，无法计算。'),
    sumFallback: (fallbacks, questions, rate) => (questions ? `${questions} 个问题中，${fallbacks} 个答不上来（${rate}%）。` : '这段时间没有问题。'),
    sumVotes: (up, down) => `共 ${up} 次 👍 有帮助，${down} 次 👎 没帮助。`,
    sumHandoffs: (total, parts) => (total ? `共转人工 ${total} 次：${parts.join('，')}。` : '这段时间没有转人工。'),
    sumCsat: (count, avg) => (count ? `共 ${count} 次评分，平均 ${avg} 分。` : '这段时间还没有评分。'),
    sumTop: (wording, count) => (wording ? `答不上来最多的是“${wording}”（${count} 次），完整列表见下。` : '这段时间没有答不上来的问题。'),
    times: (n) => `${n} 次`,
  },
  'en-US': {
    insightsTitle: 'Insights',
    insightsPeriod: (n) => `The last ${n} days, by day in China time.`,
    chartConversations: 'Conversations per day',
    chartContainment: 'Share answered by the bot alone (no person joined)',
    chartFallback: 'Fallback rate',
    chartVotes: '👍 / 👎 per day',
    chartHandoffs: 'Handoffs per day, by reason',
    chartCsat: 'Rating of chats with a person (daily average, out of 5)',
    chartTop: 'Top unanswered wordings',
    seriesConversations: 'Conversations',
    seriesAnsweredByBot: 'Answered by the bot alone',
    seriesContainment: 'Containment',
    seriesFallback: 'Fell back',
    seriesUp: '👍 Helpful',
    seriesDown: '👎 Not helpful',
    seriesCsat: 'Average rating',
    seriesTimes: 'Times',
    reasons: { 'user-request': 'User asked', 'repeated-fallback': 'Repeated fallback', complaint: 'Complaint', security_alert: 'Security lock', 'old-number-unavailable': 'Old number unavailable', 'flow-stuck': 'Flow stuck' },
    sumConversations: (total, avg, day, max) => (total ? `${total} conversations, ${avg} a day on average; the busiest day was ${day} (${max}).` : 'No conversations in this period.'),
    sumContainment: (answered, total, rate) => (total ? `${answered} of ${total} conversations were answered by the bot alone (${rate}%).` : 'No conversations to measure.'),
    sumFallback: (fallbacks, questions, rate) => (questions ? `${fallbacks} of ${questions} questions fell back (${rate}%).` : 'No questions in this period.'),
    sumVotes: (up, down) => `${up} 👍 helpful and ${down} 👎 not helpful.`,
    sumHandoffs: (total, parts) => (total ? `${total} handoffs: ${parts.join(', ')}.` : 'No handoffs in this period.'),
    sumCsat: (count, avg) => (count ? `${count} ratings, ${avg} on average.` : 'No ratings in this period yet.'),
    sumTop: (wording, count) => (wording ? `The most frequent is “${wording}” (${count}); the full list follows.` : 'Nothing fell back in this period.'),
    times: (n) => (n === 1 ? 'once' : `${n} times`),
  },
};

const INK = '#1F2937';
const GRID = '#E5E7EB';

function baseOptions(extra = {}) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { position: 'bottom', labels: { color: INK, boxWidth: 12 } } },
    scales: {
      x: { ticks: { color: INK, maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: INK, precision: 0 }, grid: { color: GRID } },
    },
    ...extra,
  };
}

const percentAxis = { min: 0, max: 100, ticks: { color: INK, callback: (v) => `${v}%` }, grid: { color: GRID } };

/** One chart: a titled figure, a canvas named after the title, and the sentence that says what it shows. */
class ChartFigure extends Component {
  constructor(props) {
    super(props);
    this.canvas = createRef();
  }

  componentDidMount() {
    this.draw();
  }

  componentDidUpdate() {
    this.draw();
  }

  componentWillUnmount() {
    this.chart?.destroy();
  }

  draw() {
    this.chart?.destroy();
    this.chart = new Chart(this.canvas.current, this.props.config);
  }

  render({ id, title, summary, children, height }) {
    return html`<figure class="insight" data-chart=${id}>
      <figcaption><h3 class="insight-title" id=${`${id}-title`}>${title}</h3></figcaption>
      <div class="insight-canvas" style=${height ? { height: `${height}px` } : undefined}>
        <canvas ref=${this.canvas} role="img" aria-label=${title} aria-describedby=${`${id}-summary`}></canvas>
      </div>
      <p class="insight-summary" id=${`${id}-summary`}>${summary}</p>
      ${children}
    </figure>`;
  }
}

/**
 * The Insights view. `data` is the API's answer; `lang` 'zh-CN' | 'en-US'; `t` the page's
 * words (kefuUi.t()), which may override INSIGHTS_WORDS after kefuUi.i18n.add(INSIGHTS_WORDS).
 */
export function Insights({ data, t, lang = 'zh-CN' }) {
  const w = { ...(INSIGHTS_WORDS[lang] || INSIGHTS_WORDS['zh-CN']), ...(t && t.chartConversations ? t : {}) };
  const days = data.days;
  const dayLabel = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const labels = days.map((d) => dayLabel.format(Date.parse(`${d.date}T00:00:00Z`)));

  const conversations = sum(days, (d) => d.conversations);
  const answered = sum(days, (d) => d.answeredByBot);
  const questions = sum(days, (d) => d.questions || 0);
  const fallbacks = sum(days, (d) => d.fallbacks);
  const up = sum(days, (d) => d.thumbsUp);
  const down = sum(days, (d) => d.thumbsDown);
  const rated = sum(days, (d) => d.csat.count);
  const ratingSum = sum(days, (d) => d.csat.sum);
  const busiest = days.reduce((best, d, i) => (d.conversations > (days[best]?.conversations ?? -1) ? i : best), 0);
  const reasons = Object.keys(REASON_COLOURS).filter((reason) => days.some((d) => d.handoffs[reason]));
  const handoffTotal = sum(days, (d) => Object.values(d.handoffs).reduce((n, c) => n + c, 0));
  const top = data.topUnanswered;

  return html`<section class="insights" data-insights aria-labelledby="insights-heading">
    <h2 id="insights-heading" class="insights-heading">${w.insightsTitle}</h2>
    <p class="insights-period">${w.insightsPeriod(days.length)}</p>
    <div class="insights-grid">
      <${ChartFigure}
        id="insights-conversations"
        title=${w.chartConversations}
        summary=${w.sumConversations(conversations, (conversations / Math.max(1, days.length)).toFixed(1), labels[busiest], days[busiest]?.conversations ?? 0)}
        config=${{
          type: 'bar',
          data: {
            labels,
            datasets: [
              { label: w.seriesConversations, data: days.map((d) => d.conversations), backgroundColor: COLOURS.blue },
              { label: w.seriesAnsweredByBot, data: days.map((d) => d.answeredByBot), backgroundColor: COLOURS.sky },
            ],
          },
          options: baseOptions(),
        }}
      />
      <${ChartFigure}
        id="insights-containment"
        title=${w.chartContainment}
        summary=${w.sumContainment(answered, conversations, pct(answered, conversations))}
        config=${{
          type: 'line',
          data: { labels, datasets: [{ label: w.seriesContainment, data: days.map((d) => pct(d.answeredByBot, d.conversations)), borderColor: COLOURS.green, backgroundColor: COLOURS.green, pointRadius: 2 }] },
          options: baseOptions({ scales: { ...baseOptions().scales, y: percentAxis } }),
        }}
      />
      <${ChartFigure}
        id="insights-fallback"
        title=${w.chartFallback}
        summary=${w.sumFallback(fallbacks, questions, pct(fallbacks, questions))}
        config=${{
          type: 'line',
          data: { labels, datasets: [{ label: w.seriesFallback, data: days.map((d) => pct(d.fallbacks, d.questions || 0)), borderColor: COLOURS.vermillion, backgroundColor: COLOURS.vermillion, pointRadius: 2 }] },
          options: baseOptions({ scales: { ...baseOptions().scales, y: percentAxis } }),
        }}
      />
      <${ChartFigure}
        id="insights-votes"
        title=${w.chartVotes}
        summary=${w.sumVotes(up, down)}
        config=${{
          type: 'bar',
          data: {
            labels,
            datasets: [
              { label: w.seriesUp, data: days.map((d) => d.thumbsUp), backgroundColor: COLOURS.blue },
              { label: w.seriesDown, data: days.map((d) => d.thumbsDown), backgroundColor: COLOURS.orange },
            ],
          },
          options: baseOptions(),
        }}
      />
      <${ChartFigure}
        id="insights-handoffs"
        title=${w.chartHandoffs}
        summary=${w.sumHandoffs(
          handoffTotal,
          reasons.map((reason) => `${w.reasons[reason]} ${sum(days, (d) => d.handoffs[reason] || 0)}`),
        )}
        config=${{
          type: 'bar',
          data: { labels, datasets: reasons.map((reason) => ({ label: w.reasons[reason], data: days.map((d) => d.handoffs[reason] || 0), backgroundColor: REASON_COLOURS[reason] })) },
          options: baseOptions({ scales: { x: { ...baseOptions().scales.x, stacked: true }, y: { ...baseOptions().scales.y, stacked: true } } }),
        }}
      />
      <${ChartFigure}
        id="insights-csat"
        title=${w.chartCsat}
        summary=${w.sumCsat(rated, rated ? (ratingSum / rated).toFixed(1) : '')}
        config=${{
          type: 'line',
          data: { labels, datasets: [{ label: w.seriesCsat, data: days.map((d) => (d.csat.count ? Math.round((d.csat.sum / d.csat.count) * 10) / 10 : null)), borderColor: COLOURS.purple, backgroundColor: COLOURS.purple, pointRadius: 3 }] },
          options: baseOptions({ scales: { ...baseOptions().scales, y: { min: 1, max: 5, ticks: { color: INK, stepSize: 1 }, grid: { color: GRID } } } }),
        }}
      />
      <${ChartFigure}
        id="insights-top"
        height=${80 + 34 * Math.max(1, top.length)}
        title=${w.chartTop}
        summary=${w.sumTop(top[0]?.wording, top[0]?.count)}
        config=${{
          type: 'bar',
          data: { labels: top.map((item) => item.wording), datasets: [{ label: w.seriesTimes, data: top.map((item) => item.count), backgroundColor: COLOURS.orange, maxBarThickness: 28 }] },
          options: baseOptions({
            indexAxis: 'y',
            plugins: { legend: { display: false } },
            scales: {
              x: { beginAtZero: true, ticks: { color: INK, precision: 0 }, grid: { color: GRID } },
              // Long wordings are cut on the axis (a phone is narrow); the list below has them whole.
              y: { ticks: { color: INK, callback: (_value, index) => shortened(top[index]?.wording ?? '') }, grid: { display: false } },
            },
          }),
        }}
      >
        ${top.length > 0 &&
        html`<ol class="insights-top-list">
          ${top.map((item) => html`<li><span class="insights-wording">${item.wording}</span> <span class="insights-count">${w.times(item.count)}</span></li>`)}
        </ol>`}
      <//>
    </div>
  </section>`;
}
