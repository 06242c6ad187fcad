// The console's working-day extras, beside console.js: typing both ways, the supervisor
// strip and the history search. Listens to console.js through document events
// (kefu:select, kefu:board, kefu:typing). Everything from the server goes in as textContent.
(function () {
  'use strict';

  const zh = () => window.kefuUi.i18n.lang() === 'zh-CN';
  const T = {
    userTyping: () => (zh() ? '用户正在输入…' : 'The user is typing…'),
    supervisor: () => (zh() ? '今日概览' : 'Today'),
    figures: (f) =>
      zh()
        ? `排队 ${f.queue.length} · 最长等待 ${Math.floor(f.queue.longestWaitMs / 60000)} 分钟 · 在线客服 ${f.agentsOnline} · 今日结束 ${f.today.resolved} · 平均评分 ${f.today.averageCsat ?? '—'}`
        : `Queued ${f.queue.length} · longest wait ${Math.floor(f.queue.longestWaitMs / 60000)} min · agents online ${f.agentsOnline} · resolved today ${f.today.resolved} · average CSAT ${f.today.averageCsat ?? '—'}`,
    // Agents on duty from Teams (上班): until the end of the hours, or until they go off duty (下班).
    duty: (list) => {
      const until = (d) => (d.until === null ? (zh() ? '至下班' : 'until off duty') : `${zh() ? '至' : 'until'} ${new Date(d.until).toLocaleTimeString(zh() ? 'zh-CN' : 'en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`);
      if (zh()) return `Teams 值班：${list.length ? list.map((d) => `${d.name}（${until(d)}）`).join('、') : '无'}`;
      return `On duty in Teams: ${list.length ? list.map((d) => `${d.name} (${until(d)})`).join(', ') : 'nobody'}`;
    },
    load: (a, max) => `${a.name || a.id} ${a.chats}${max ? '/' + max : ''}${a.online ? '' : zh() ? '（离线）' : ' (offline)'}`,
    history: () => (zh() ? '历史记录' : 'History'),
    query: () => (zh() ? '会话号、工单号、申诉编号或手机号后四位' : 'Chat id, ticket id, appeal case id or last four digits'),
    who: (from) => (zh() ? { user: '用户', bot: '机器人' } : { user: 'User', bot: 'Bot' })[from] || from,
    search: () => (zh() ? '搜索' : 'Search'),
    found: (n) => (zh() ? `找到 ${n} 条` : `${n} found`),
    rating: (r) => (zh() ? `评分 ${r ?? '—'}` : `rating ${r ?? '—'}`),
  };
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // The staff pages' shared call (/ui/session.js).
  const api = (method, path) => window.kefuUi.api(method, path);

  // Typing: the agent's keystrokes tell the user (at most every 3 s); the user's typing shows under the transcript.
  let selected = null;
  let lastTyping = 0;
  let typingTimer;
  const typing = el('p');
  typing.className = 'muted';
  typing.setAttribute('role', 'status');
  $('transcript').after(typing);
  document.addEventListener('kefu:select', (event) => {
    selected = event.detail;
    typing.textContent = '';
  });
  $('message').addEventListener('input', () => {
    if (!selected || selected.kind !== 'chat' || Date.now() - lastTyping < 3000) return;
    lastTyping = Date.now();
    void api('POST', `/api/agent/chats/${encodeURIComponent(selected.id)}/typing`);
  });
  document.addEventListener('kefu:typing', (event) => {
    if (!selected || selected.id !== event.detail.id) return;
    typing.textContent = T.userTyping();
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => (typing.textContent = ''), 6000);
  });

  // The supervisor strip and the history, each a panel of the drawer (index.html) the top bar opens.
  const strip = el('p');
  const duty = el('p');
  const loads = el('ul');
  const form = el('form');
  form.setAttribute('role', 'search');
  const label = el('label');
  const input = el('input');
  input.maxLength = 64;
  const button = el('button');
  button.type = 'submit';
  const results = el('div');
  results.setAttribute('aria-live', 'polite');
  label.append(el('span'), input);
  form.append(label, button);
  $('today-panel').append(strip, duty, loads);
  $('history-panel').append(form, results);
  const panels = { today: [$('open-today'), $('today-panel'), T.supervisor], history: [$('open-history'), $('history-panel'), T.history] };
  let openPanel = null;

  const showPanel = (name) => {
    openPanel = name;
    $('workday').hidden = !name;
    for (const [key, [toggle, panel]] of Object.entries(panels)) {
      toggle.setAttribute('aria-expanded', String(key === name));
      panel.hidden = key !== name;
    }
    if (name) $('workday-title').textContent = panels[name][2]();
  };
  for (const [key, [toggle]] of Object.entries(panels))
    toggle.addEventListener('click', () => {
      if (openPanel === key) return closeDrawer();
      showPanel(key);
      (key === 'history' ? input : $('workday-title')).focus();
    });
  const closeDrawer = () => {
    const toggle = openPanel && panels[openPanel][0];
    showPanel(null);
    if (toggle) toggle.focus();
  };
  $('close-drawer').addEventListener('click', closeDrawer);
  $('workday').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDrawer();
  });

  // The team's figures and the knowledge desk are a lead's: for an agent the server answers 403
  // and neither is offered.
  const showSupervisor = (shown) => {
    $('open-today').hidden = !shown;
    $('open-desk').hidden = !shown;
    if (!shown && openPanel === 'today') showPanel(null);
  };
  showSupervisor(false);

  const labels = () => {
    label.firstChild.textContent = T.query();
    button.textContent = T.search();
    if (openPanel) $('workday-title').textContent = panels[openPanel][2]();
  };
  // Named from the start: a field or button without a name is nothing to a screen reader.
  labels();
  document.addEventListener('kefu:lang', () => {
    labels();
    refresh();
  });

  let refreshing;
  const refresh = () => {
    window.clearTimeout(refreshing);
    refreshing = window.setTimeout(async () => {
      if ($('console').hidden) return;
      labels();
      const { status, body } = await api('GET', '/api/agent/supervisor');
      if (status === 0) return;
      showSupervisor(status === 200);
      if (status !== 200) return;
      strip.textContent = T.figures(body);
      duty.textContent = T.duty(body.onDuty || []);
      loads.replaceChildren(...body.agents.map((a) => el('li', T.load(a, body.maxChats))));
    }, 500);
  };
  document.addEventListener('kefu:board', refresh);
  window.setInterval(refresh, 30000);
  refresh();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    const { status, body } = await api('GET', `/api/agent/history?q=${encodeURIComponent(q)}`);
    if (status !== 200) {
      results.replaceChildren(el('p', body && body.error ? body.error : String(status)));
      return;
    }
    const items = [
      ...body.chats.map((chat) => {
        const item = el('details');
        const h = chat.handoff;
        item.append(el('summary', `${h.id.slice(0, 8)} · ${h.agentName || ''} · ${new Date(h.closedAt || h.createdAt).toLocaleString()} · ${T.rating(h.rating)}`));
        const lines = el('ol');
        lines.append(...chat.transcript.map((e) => el('li', `${e.agentName || T.who(e.from)}：${e.from === 'user' ? kefuUserLine(e.text) : e.text}`)));
        const notes = el('ul');
        notes.append(...chat.notes.map((n) => el('li', `${n.agentName}：${n.text}`)));
        item.append(lines, notes);
        return item;
      }),
      ...body.tickets.map((t) => el('p', `${t.id} · ${kefuUserLine(t.contact)} · ${kefuUserLine(t.text)}`)),
    ];
    results.replaceChildren(el('p', T.found(items.length)), ...items);
  });
})();
