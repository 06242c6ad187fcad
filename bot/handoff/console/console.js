// The agent console. Plain browser JavaScript, no framework, no CDN. Everything people
// typed (users and agents) is put on the page with textContent, never as HTML.
(function () {
  'use strict';

  const TEXT = {
    'zh-CN': {
      title: 'Kefu 客服工作台', agentId: '工号', password: '密码', signIn: '登录', signOut: '退出登录', lang: 'English',
      wrongPassword: '工号或密码不正确。', tooMany: (s) => `尝试次数过多，请 ${s} 秒后再试。`, busy: '登录请求较多，请稍后再试。', localOnly: '演示账号只能在运行机器人的这台电脑上登录。',
      queue: '排队中', active: '处理中', tickets: '留言工单', none: '暂无',
      pickChat: '从左侧选择一个会话。', claim: '接入', resolve: '结束并交还机器人', send: '发送', closeTicket: '标记已处理',
      cannedHint: '输入 / 选择快捷回复', notes: '内部备注（仅客服可见）', addNote: '添加备注',
      online: (n) => `${n} 位客服在线`, waiting: (m) => `已等待 ${m} 分钟`, position: (p) => `第 ${p} 位`,
      mine: '我的会话', withAgent: (name) => `${name} 处理中`, high: '优先',
      reason: '转人工原因', language: '语言', channel: '渠道', flow: '所在流程', verified: '号码验证', phone: '手机号', misses: '未能回答的问题', status: '状态',
      yes: '已通过短信验证码验证', no: '未验证', dash: '—',
      reasons: { 'user-request': '用户要求转人工', 'repeated-fallback': '连续两次未能回答', complaint: '投诉或不满', security_alert: '安全预警锁定（需人工核实）', 'old-number-unavailable': '旧手机号无法接收验证码', 'flow-stuck': '自助流程无法完成' },
      statuses: { queued: '排队中', active: '处理中', resolved: '已结束', cancelled: '用户已取消', expired: '已超时' },
      flows: { unlock: '账户解锁', phoneChange: '更换手机号', appeal: '申诉', appealStatus: '申诉进度查询' },
      outcomes: { completed: '已办理完成', cancelled: '用户中途取消' }, leftAt: (stage) => `取消时：${stage}`,
      stages: {
        askingPhone: '等待用户提供手机号', awaitingCode: '已向该号码发送验证码，等待用户输入', lookingUpAccount: '验证码已通过，正在查询账户',
        unlocking: '已验证手机号，正在解锁账户', securityLocked: '已验证手机号，账户因安全预警锁定', oldNumberLost: '用户表示原手机号已无法接收验证码',
        askingNewPhone: '已验证原手机号，等待用户提供新手机号', awaitingNewCode: '已验证原手机号，等待新号码的验证码', confirmingChange: '新旧号码均已验证，等待用户确认更换', changingPhone: '新旧号码均已验证，正在更换手机号',
        askingExplanation: '已验证手机号（账户已关闭），等待用户填写申诉说明', askingFiles: '已收到申诉说明，等待用户上传材料', filingAppeal: '正在提交申诉',
        askingCaseOrPhone: '等待用户提供申诉编号或手机号', lookingUpCase: '正在按申诉编号查询', lookingUpCases: '已验证手机号，正在查询申诉记录',
      },
      who: { user: '用户', bot: '机器人' },
      contact: '联系电话', message: '留言内容', created: '留言时间', ticket: (id) => `工单 ${id}`,
      takenByOther: '该会话已被其他客服接入。', notDelivered: '消息未能送达用户，请重试。', closed: '该会话已结束。', failed: '操作失败，请重试。',
      atLimit: (max) => `您同时接待的会话已达上限${max ? `（${max} 个）` : ''}，请先结束一个会话再接入。`,
      attachment: '附件',
      foreignFile: '外部链接，未经本系统核验，请勿直接打开',
      lists: '会话列表', transcript: '对话记录', cannedList: '快捷回复', messageLabel: '回复用户', noteLabel: '新的内部备注', back: '返回列表',
      today: '今日概览', history: '历史记录', closeDrawer: '关闭', aboutChat: '会话信息',
      resolveQuestion: '结束这个会话，把用户交还机器人？', resolveYes: '确认结束', resolveNo: '取消',
      unread: (n) => `${n} 条未读`, waitingReply: (m) => `用户等待回复 ${m} 分钟`, talking: (m) => `已接入 ${m} 分钟`,
      disconnected: '连接已断开，正在重连…',
      draft: '草稿', alerts: '桌面通知和提示音', newQueued: (reason) => `新的排队会话：${reason}`, newMessage: (reason) => `您的会话有用户新消息：${reason}`,
    },
    'en-US': {
      title: 'Kefu agent console', agentId: 'Agent id', password: 'Password', signIn: 'Sign in', signOut: 'Sign out', lang: '中文',
      wrongPassword: 'Wrong agent id or password.', tooMany: (s) => `Too many attempts; try again in ${s} s.`, busy: 'Many sign-ins at once; try again in a moment.', localOnly: 'The demo agents can only sign in on the machine the bot runs on.',
      queue: 'Queue', active: 'In progress', tickets: 'Messages', none: 'None',
      pickChat: 'Pick a conversation on the left.', claim: 'Claim', resolve: 'Resolve and hand back', send: 'Send', closeTicket: 'Mark done',
      cannedHint: 'Type / for canned replies', notes: 'Private notes (agents only)', addNote: 'Add note',
      online: (n) => `${n} agent(s) online`, waiting: (m) => `waiting ${m} min`, position: (p) => `#${p}`,
      mine: 'Mine', withAgent: (name) => `with ${name}`, high: 'priority',
      reason: 'Reason', language: 'Language', channel: 'Channel', flow: 'Flow', verified: 'Number verified', phone: 'Phone', misses: 'Unanswered questions', status: 'Status',
      yes: 'Yes, by SMS code', no: 'No', dash: '—',
      reasons: { 'user-request': 'User asked for a person', 'repeated-fallback': 'Two unanswered questions in a row', complaint: 'Complaint', security_alert: 'Security lock (identity check needed)', 'old-number-unavailable': 'Old number cannot receive codes', 'flow-stuck': 'Self-service flow could not finish' },
      statuses: { queued: 'Queued', active: 'In progress', resolved: 'Resolved', cancelled: 'Cancelled by user', expired: 'Expired' },
      flows: { unlock: 'Account unlock', phoneChange: 'Phone change', appeal: 'Appeal', appealStatus: 'Appeal status' },
      outcomes: { completed: 'Completed', cancelled: 'Cancelled by the user' }, leftAt: (stage) => `left at: ${stage}`,
      stages: {
        askingPhone: "Waiting for the user's phone number", awaitingCode: 'Code sent to the number; waiting for the user to enter it', lookingUpAccount: 'Code accepted; looking up the account',
        unlocking: 'Number verified; unlocking the account', securityLocked: 'Number verified; account locked by a security alert', oldNumberLost: 'The user says the old number no longer receives codes',
        askingNewPhone: 'Current number verified; waiting for the new number', awaitingNewCode: "Current number verified; waiting for the new number's code", confirmingChange: 'Both numbers verified; waiting for the user to confirm', changingPhone: 'Both numbers verified; changing the number',
        askingExplanation: 'Number verified (account closed); waiting for the appeal explanation', askingFiles: 'Explanation received; waiting for supporting files', filingAppeal: 'Filing the appeal',
        askingCaseOrPhone: 'Waiting for a case id or phone number', lookingUpCase: 'Looking up the case id', lookingUpCases: 'Number verified; looking up the appeals',
      },
      who: { user: 'User', bot: 'Bot' },
      contact: 'Contact', message: 'Message', created: 'Left at', ticket: (id) => `Ticket ${id}`,
      takenByOther: 'Another agent has claimed this chat.', notDelivered: 'The message did not reach the user; try again.', closed: 'This chat has ended.', failed: 'Something went wrong; try again.',
      atLimit: (max) => `You already have as many chats as you may have at once${max ? ` (${max})` : ''}; resolve one before claiming another.`,
      attachment: 'Attachment',
      foreignFile: 'external link, not checked by Kefu; do not open it',
      lists: 'Conversations', transcript: 'Transcript', cannedList: 'Canned replies', messageLabel: 'Reply to the user', noteLabel: 'New private note', back: 'Back to the list',
      today: 'Today', history: 'History', closeDrawer: 'Close', aboutChat: 'About this chat',
      resolveQuestion: 'End this chat and hand the user back to the bot?', resolveYes: 'Yes, resolve', resolveNo: 'Cancel',
      unread: (n) => `${n} unread`, waitingReply: (m) => `user waiting ${m} min`, talking: (m) => `claimed ${m} min ago`,
      disconnected: 'Connection lost; reconnecting…',
      draft: 'draft', alerts: 'Desktop notifications and sound', newQueued: (reason) => `New chat in the queue: ${reason}`, newMessage: (reason) => `New message from the user in your chat: ${reason}`,
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = {
    lang: localStorage.getItem('kefu.lang') || (navigator.language.startsWith('zh') ? 'zh-CN' : 'en-US'), me: null, canned: [], board: null, selected: null, chat: null, events: null, cannedIndex: 0,
    // Which transcript entries are on the page, so an update appends only the new ones (the list is a live region).
    shown: null,
    // Queued chats already seen, and per chat of mine the user messages seen / not yet read: what is new is announced.
    seenQueue: null, userSeen: {}, unread: {},
    // What the agent was writing in each chat, kept while they look at another.
    drafts: {},
    alerts: localStorage.getItem('kefu.alerts') === 'on',
  };
  const t = () => TEXT[state.lang];

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A server that cannot be reached answers status 0: one line in the top bar says so, nothing is thrown.
  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        // The header marks the call as the console's own: the server refuses writes without it or JSON.
        headers: body === undefined ? { 'x-kefu-agent': '1' } : { 'x-kefu-agent': '1', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      connection(false);
      return { status: 0, body: undefined };
    }
    connection(true);
    if (response.status === 401 && path !== '/api/agent/session') showSignIn();
    const text = await response.text();
    try {
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return { status: response.status, body: undefined };
    }
  }

  function connection(up) {
    state.down = !up;
    $('connection').textContent = up ? '' : t().disconnected;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = t().title;
    document.querySelectorAll('[data-t]').forEach((node) => (node.textContent = t()[node.dataset.t]));
    document.querySelectorAll('[data-t-label]').forEach((node) => node.setAttribute('aria-label', t()[node.dataset.tLabel]));
    $('alerts').setAttribute('aria-pressed', String(state.alerts));
    state.shown = null;
    document.querySelectorAll('.lang-toggle').forEach((node) => (node.textContent = t().lang));
    $('message').placeholder = `${t().messageLabel}…`;
    $('connection').textContent = state.down ? t().disconnected : '';
    document.dispatchEvent(new window.CustomEvent('kefu:lang', { detail: { lang: state.lang } }));
    if (state.board) renderBoard();
    if (state.chat) renderChat();
    updateTitle();
  }

  // What needs the agent: chats waiting in the queue and unread user messages in their own chats.
  function pendingCount() {
    const queued = state.board ? state.board.queue.length : 0;
    return queued + Object.values(state.unread).reduce((sum, n) => sum + n, 0);
  }

  function updateTitle() {
    const n = state.me ? pendingCount() : 0;
    document.title = n > 0 ? `(${n}) ${t().title}` : t().title;
  }

  function announce(text) {
    const region = $('announcer');
    // The same sentence twice in a row is still a new event: clear first so it is read again.
    region.textContent = '';
    window.setTimeout(() => (region.textContent = text), 50);
    if (!state.alerts) return;
    beep();
    if (document.hidden && 'Notification' in window && window.Notification.permission === 'granted') new window.Notification(t().title, { body: text, tag: 'kefu' });
  }

  let audio = null;
  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  }

  function reasonText(reason) {
    return t().reasons[reason] || reason;
  }

  // New queued chats since the last board: announced; the first board after sign-in only sets what is known.
  function noticeQueue(queue) {
    const fresh = state.seenQueue ? queue.filter((h) => !state.seenQueue.has(h.id)) : [];
    state.seenQueue = new Set(queue.map((h) => h.id));
    for (const h of fresh) announce(t().newQueued(reasonText(h.reason)));
  }

  // User messages in one of my chats: unread unless that chat is open on a visible page.
  function noticeUserMessages(chat) {
    const { handoff, transcript } = chat;
    if (!(handoff.status === 'active' && handoff.agentId === state.me.id)) return;
    const users = transcript.filter((entry) => entry.from === 'user').length;
    const before = state.userSeen[handoff.id];
    state.userSeen[handoff.id] = users;
    if (before === undefined || users <= before) return;
    const open = state.selected && state.selected.id === handoff.id && !document.hidden;
    announce(t().newMessage(reasonText(handoff.context.reason)));
    if (open) return;
    state.unread[handoff.id] = (state.unread[handoff.id] || 0) + users - before;
    if (state.board) renderBoard();
    updateTitle();
  }

  function showSignIn() {
    if (state.events) state.events.close();
    state.events = null;
    $('console').hidden = true;
    $('sign-in').hidden = false;
    $('agent-id').focus();
  }

  async function start() {
    // The session route answers 200 either way: the sign-in page loads without a failed request.
    const me = await api('GET', '/api/agent/session');
    if (me.status === 0) return window.setTimeout(() => void start(), RETRY_MS);
    if (me.status !== 200 || !me.body.agent) return showSignIn();
    state.me = me.body.agent;
    state.canned = me.body.canned;
    $('sign-in').hidden = true;
    $('console').hidden = false;
    $('agent-name').textContent = state.me.name;
    await loadBoard();
    listen();
    // Focus where the work starts, never left on the hidden sign-in form.
    $('console-title').focus();
  }

  const RETRY_MS = 5000;

  function listen() {
    const events = new EventSource('/api/agent/events');
    state.events = events;
    // Back after an outage: the line goes, and what changed meanwhile is loaded.
    events.addEventListener('open', () => {
      if (!state.down) return;
      connection(true);
      void loadBoard();
    });
    events.addEventListener('board', () => void loadBoard());
    // workday.js (typing, history, supervisor) listens on the document, not on this stream.
    for (const type of ['board', 'typing']) events.addEventListener(type, (event) => document.dispatchEvent(new window.CustomEvent(`kefu:${type}`, { detail: JSON.parse(event.data) })));
    events.addEventListener('chat', (event) => {
      const { id } = JSON.parse(event.data);
      if (state.selected && state.selected.kind === 'chat' && state.selected.id === id) void loadChat();
      else if (state.board && state.board.active.some((h) => h.id === id && h.agentId === state.me.id)) void peekChat(id);
    });
    // The browser retries a dropped stream by itself; one it gave up on (the session ended, the
    // server was gone) is checked here, and opened again while the agent is still signed in.
    events.addEventListener('error', () => {
      if (events.readyState !== window.EventSource.CLOSED) return connection(false);
      window.setTimeout(async () => {
        if (state.events !== events) return;
        const me = await api('GET', '/api/agent/session');
        if (state.events !== events) return;
        if (me.status === 200 && !me.body.agent) return showSignIn();
        listen();
        // An ended session shows the sign-in at once; a server still away is asked again later.
      }, state.down ? RETRY_MS : 0);
    });
  }

  async function loadBoard() {
    const board = await api('GET', '/api/agent/board');
    if (board.status !== 200) return;
    state.board = board.body;
    noticeQueue(state.board.queue);
    for (const h of state.board.active) if (h.agentId === state.me.id && state.userSeen[h.id] === undefined) void peekChat(h.id);
    // Chats no longer mine have nothing unread and no draft.
    const mine = (id) => state.board.active.some((h) => h.id === id && h.agentId === state.me.id);
    for (const kept of [state.unread, state.drafts]) for (const id of Object.keys(kept)) if (!mine(id)) delete kept[id];
    renderBoard();
    updateTitle();
    if (state.selected && state.selected.kind === 'chat') await loadChat();
  }

  function minutesSince(ms) {
    return Math.max(0, Math.floor((Date.now() - ms) / 60000));
  }

  // A chat not open, to see whether the user wrote in one of my chats.
  async function peekChat(id) {
    const chat = await api('GET', `/api/agent/chats/${encodeURIComponent(id)}`);
    if (chat.status === 200) noticeUserMessages(chat.body);
  }

  // Each entry is a button inside the list item, so the keyboard reaches it and Enter opens it.
  function listItem(id, selected, line1, meta, onClick) {
    const li = el('li', selected ? 'selected' : '');
    const button = el('button', 'item');
    button.type = 'button';
    button.dataset.id = id;
    if (selected) button.setAttribute('aria-current', 'true');
    const first = el('span', 'line1');
    line1.forEach((part) => first.appendChild(part));
    button.appendChild(first);
    button.appendChild(el('span', 'meta', meta));
    button.addEventListener('click', onClick);
    li.appendChild(button);
    return li;
  }

  function fill(list, items, count) {
    list.replaceChildren(...(items.length ? items : [el('li', 'none', t().none)]));
    count.textContent = String(items.length);
  }

  function renderBoard() {
    // The lists are redrawn on every board event: the entry that had focus keeps it, wherever it moved.
    const active = document.activeElement;
    const focused = active && active.classList.contains('item') ? active.dataset.id : undefined;
    drawBoard();
    if (focused === undefined) return;
    const again = Array.from(document.querySelectorAll('#lists button.item')).find((b) => b.dataset.id === focused);
    (again || $('queue-heading')).focus();
  }

  function drawBoard() {
    const b = state.board;
    const sel = state.selected;
    $('presence').textContent = t().online(b.agentsOnline);
    fill(
      $('queue'),
      b.queue.map((h) =>
        listItem(h.id, sel && sel.id === h.id, [el('strong', '', t().position(h.position)), el('span', 'item-preview', kefuUserLine(h.preview) || t().reasons[h.reason] || h.reason), ...(h.priority === 'high' ? [el('span', 'badge high', t().high)] : [])], `${t().reasons[h.reason] || h.reason} · ${t().waiting(minutesSince(h.createdAt))} · ${h.channel}`, () => select('chat', h.id)),
      ),
      $('queue-count'),
    );
    fill(
      $('active'),
      b.active.map((h) =>
        listItem(
          h.id,
          sel && sel.id === h.id,
          [
            el('span', 'item-preview', kefuUserLine(h.preview) || t().reasons[h.reason] || h.reason),
            el('span', 'badge', h.agentId === state.me.id ? t().mine : t().withAgent(h.agentName)),
            ...(state.unread[h.id] ? [el('span', 'badge unread', t().unread(state.unread[h.id]))] : []),
            ...(state.drafts[h.id] && !(sel && sel.id === h.id) ? [el('span', 'badge', t().draft)] : []),
          ],
          [t().reasons[h.reason] || h.reason, h.waitingSince ? t().waitingReply(minutesSince(h.waitingSince)) : t().talking(minutesSince(h.claimedAt || h.createdAt)), h.channel].join(' · '),
          () => select('chat', h.id),
        ),
      ),
      $('active-count'),
    );
    fill(
      $('tickets'),
      b.tickets.map((ticket) => listItem(ticket.id, sel && sel.id === ticket.id, [el('strong', '', ticket.id)], `${ticket.contact} · ${new Date(ticket.createdAt).toLocaleString(state.lang)}`, () => select('ticket', ticket.id))),
      $('ticket-count'),
    );
  }

  function keepDraft() {
    if (!state.selected || state.selected.kind !== 'chat') return;
    const text = $('message').value;
    if (text.trim()) state.drafts[state.selected.id] = text;
    else delete state.drafts[state.selected.id];
  }

  async function select(kind, id) {
    keepDraft();
    state.selected = { kind, id };
    $('message').value = (kind === 'chat' && state.drafts[id]) || '';
    $('canned').hidden = true;
    $('message').removeAttribute('aria-activedescendant');
    delete state.unread[id];
    document.dispatchEvent(new window.CustomEvent('kefu:select', { detail: { kind, id } }));
    $('chat-error').textContent = '';
    askResolve(false);
    $('console').classList.add('has-selection');
    renderBoard();
    updateTitle();
    if (kind === 'chat') await loadChat();
    else renderTicket();
    // The opened chat's heading: read out first, and on a phone the list is gone from the screen.
    $(kind === 'chat' ? 'chat-title' : 'ticket-title').focus();
  }

  // Narrow screens show the list or the chat: back to the list, on the entry that was open.
  function backToList() {
    const id = state.selected && state.selected.id;
    $('console').classList.remove('has-selection');
    const entry = Array.from(document.querySelectorAll('#lists button.item')).find((b) => b.dataset.id === id);
    (entry || $('lists').querySelector('h2')).focus();
  }

  async function loadChat() {
    const chat = await api('GET', `/api/agent/chats/${encodeURIComponent(state.selected.id)}`);
    if (chat.status !== 200) return;
    state.chat = chat.body;
    noticeUserMessages(chat.body);
    renderChat();
  }

  function definitions(list, pairs) {
    list.replaceChildren();
    for (const [term, value] of pairs) {
      list.appendChild(el('dt', '', term));
      list.appendChild(el('dd', '', value || t().dash));
    }
  }

  /** The flow, how it ended if it ended before the handoff, and the step in words; a key this page has no words for is left out. */
  function flowInWords(trail) {
    const stage = t().stages[trail.stage];
    const outcome = trail.outcome && t().outcomes[trail.outcome];
    return [t().flows[trail.flow] || trail.flow, outcome, stage && outcome ? t().leftAt(stage) : stage].filter(Boolean).join(' · ');
  }

  function renderChat() {
    const { handoff, transcript, notes } = state.chat;
    const c = handoff.context;
    $('chat-empty').hidden = true;
    $('ticket-view').hidden = true;
    $('chat-view').hidden = false;
    $('chat-title').textContent = `${t().statuses[handoff.status]}${handoff.agentName ? ' · ' + handoff.agentName : ''}`;
    const trail = c.trail;
    definitions($('context'), [
      [t().reason, t().reasons[c.reason] || c.reason],
      [t().language, handoff.locale],
      [t().channel, handoff.channel],
      [t().flow, trail ? flowInWords(trail) : ''],
      [t().verified, trail ? (trail.verified ? t().yes : t().no) : ''],
      [t().phone, trail && trail.maskedPhone],
      // One line per question, each the user's words on one line: a typed line break cannot add a line here.
      [t().misses, c.misses.map((miss) => `• ${kefuUserLine(miss)}`).join('\n')],
    ]);
    const pane = $('log');
    // Follow new lines unless the agent scrolled up to read.
    const atBottom = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 40;
    const shown = state.shown;
    const sameChat = shown && shown.id === handoff.id && shown.count <= transcript.length && (shown.count === 0 || transcript[shown.count - 1].at === shown.lastAt);
    const entries = (sameChat ? transcript.slice(shown.count) : transcript).map(transcriptEntry);
    if (sameChat) {
      // Only what is new goes into the live region, so a screen reader reads each line once.
      $('transcript').append(...entries);
    } else {
      // Another chat: a fresh list, whose existing lines a screen reader does not read out as new.
      const list = $('transcript').cloneNode(false);
      list.append(...entries);
      $('transcript').replaceWith(list);
    }
    state.shown = { id: handoff.id, count: transcript.length, lastAt: transcript.length ? transcript[transcript.length - 1].at : undefined };
    // Another chat opens on its latest lines.
    if (atBottom || !sameChat) pane.scrollTop = pane.scrollHeight;
    $('notes').replaceChildren(...notes.map((n) => el('li', '', `${n.agentName}：${n.text}`)));
    $('notes-count').textContent = String(notes.length);
    const mine = handoff.status === 'active' && handoff.agentId === state.me.id;
    $('claim').hidden = handoff.status !== 'queued';
    $('resolve').hidden = !mine;
    if (!mine) askResolve(false);
    $('composer').hidden = !mine;
    $('note-form').hidden = handoff.status === 'active' && !mine;
    // A button that had focus and is now hidden (claim, resolve) hands it on to the next step.
    if (document.activeElement === document.body || (document.activeElement && document.activeElement.closest('[hidden]'))) (mine ? $('message') : $('chat-title')).focus();
  }

  function transcriptEntry(entry) {
    const li = el('li', entry.from);
    li.appendChild(el('span', 'who', `${entry.from === 'agent' ? entry.agentName : t().who[entry.from]} · ${new Date(entry.at).toLocaleTimeString(state.lang)}`));
    li.appendChild(document.createTextNode(entry.from === 'user' ? kefuUserLine(entry.text) : entry.text));
    for (const file of entry.attachments || []) {
      li.appendChild(document.createElement('br'));
      // Only files this server holds (served sandboxed) are links; any other URL a user
      // posted is shown as text, never opened from the agent's session.
      if (typeof file.href === 'string' && /^\/v3\/directline\/attachments\/[\w-]+$/.test(file.href)) {
        const link = el('a', '', `📎 ${kefuUserLine(file.name)}`);
        link.href = file.href;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        li.appendChild(link);
      } else {
        li.appendChild(el('span', 'foreign-file', `📎 ${kefuUserLine(file.name)} · ${t().foreignFile} · ${kefuUserLine(file.url)}`));
      }
    }
    return li;
  }

  function renderTicket() {
    const ticket = state.board.tickets.find((x) => x.id === state.selected.id);
    $('chat-empty').hidden = true;
    $('chat-view').hidden = true;
    state.chat = null;
    if (!ticket) return;
    $('ticket-view').hidden = false;
    $('ticket-title').textContent = t().ticket(ticket.id);
    definitions($('ticket-details'), [
      [t().contact, kefuUserLine(ticket.contact)],
      [t().message, kefuUserLine(ticket.text)],
      [t().reason, t().reasons[ticket.reason] || ticket.reason],
      [t().language, ticket.locale],
      [t().channel, ticket.channel],
      [t().created, new Date(ticket.createdAt).toLocaleString(state.lang)],
    ]);
  }

  function explain(status, body) {
    // 409 is also the agent's own limit (AGENT_MAX_CHATS), not only a chat that ended.
    if (status === 409 && body && body.refusal === 'at-limit') return t().atLimit(state.board && state.board.maxChats);
    if (status === 403) return t().takenByOther;
    if (status === 409) return t().closed;
    if (status === 502) return t().notDelivered;
    return t().failed;
  }

  async function act(path, body) {
    const result = await api('POST', path, body);
    $('chat-error').textContent = result.status === 200 ? '' : explain(result.status, result.body);
    return result.status === 200;
  }

  // Canned replies: "/" at the start of the message opens the list, filtered by what follows.
  function cannedMatches() {
    const value = $('message').value;
    if (!value.startsWith('/')) return [];
    const prefix = value.slice(1).toLowerCase();
    return state.canned.filter((c) => c.shortcut.startsWith(prefix));
  }

  function renderCanned() {
    const matches = cannedMatches();
    const list = $('canned');
    list.hidden = matches.length === 0;
    state.cannedIndex = Math.min(state.cannedIndex, Math.max(0, matches.length - 1));
    const locale = state.chat ? state.chat.handoff.locale : state.lang;
    // The textarea keeps focus; the highlighted option is its active descendant.
    if (matches.length) $('message').setAttribute('aria-activedescendant', `canned-${state.cannedIndex}`);
    else $('message').removeAttribute('aria-activedescendant');
    list.replaceChildren(
      ...matches.map((c, i) => {
        const li = el('li', i === state.cannedIndex ? 'active' : '');
        li.id = `canned-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === state.cannedIndex));
        li.appendChild(el('b', '', `/${c.shortcut}`));
        li.appendChild(document.createTextNode(c[locale]));
        li.addEventListener('mousedown', (event) => {
          event.preventDefault();
          pickCanned(c);
        });
        return li;
      }),
    );
  }

  function pickCanned(c) {
    const locale = state.chat ? state.chat.handoff.locale : state.lang;
    $('message').value = c[locale];
    $('canned').hidden = true;
    $('message').removeAttribute('aria-activedescendant');
    $('message').focus();
  }

  $('message').addEventListener('input', () => {
    state.cannedIndex = 0;
    renderCanned();
  });
  $('message').addEventListener('keydown', (event) => {
    const matches = cannedMatches();
    if (matches.length && !$('canned').hidden) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        state.cannedIndex = (state.cannedIndex + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
        renderCanned();
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pickCanned(matches[state.cannedIndex]);
        return;
      }
      if (event.key === 'Escape') {
        $('canned').hidden = true;
        $('message').removeAttribute('aria-activedescendant');
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });

  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('message').value.trim();
    if (!text) return;
    $('send').disabled = true;
    const id = state.selected.id;
    if (await act(`/api/agent/chats/${encodeURIComponent(id)}/messages`, { text })) {
      // Sent: that chat's draft is gone, even if the agent has already opened another chat.
      delete state.drafts[id];
      if (state.selected.id === id) $('message').value = '';
    }
    $('send').disabled = false;
  });
  $('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('note').value.trim();
    if (text && (await act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/notes`, { text }))) $('note').value = '';
  });
  $('claim').addEventListener('click', async () => {
    if (await act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/claim`)) {
      await loadBoard();
      // Claimed: the next thing to do is to write to the user.
      $('message').focus();
    }
  });
  // Ending a chat cannot be undone: the button asks first, and Escape or 取消 keeps the chat.
  function askResolve(asking) {
    $('resolve-confirm').hidden = !asking;
    $('resolve').hidden = asking || !(state.chat && state.chat.handoff.status === 'active' && state.chat.handoff.agentId === state.me.id);
    if (asking) $('resolve-yes').focus();
  }
  $('resolve').addEventListener('click', () => askResolve(true));
  $('resolve-no').addEventListener('click', () => {
    askResolve(false);
    $('resolve').focus();
  });
  $('resolve-confirm').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    askResolve(false);
    $('resolve').focus();
  });
  $('resolve-yes').addEventListener('click', async () => {
    askResolve(false);
    if (await act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/resolve`)) {
      await loadBoard();
      // The heading now says the chat has ended.
      $('chat-title').focus();
    }
  });
  $('back').addEventListener('click', backToList);
  $('ticket-back').addEventListener('click', backToList);
  $('alerts').addEventListener('click', async () => {
    state.alerts = !state.alerts;
    localStorage.setItem('kefu.alerts', state.alerts ? 'on' : 'off');
    $('alerts').setAttribute('aria-pressed', String(state.alerts));
    // Asked only when the agent turns alerts on, never on page load.
    if (state.alerts && 'Notification' in window && window.Notification.permission === 'default') await window.Notification.requestPermission();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !state.selected || !state.unread[state.selected.id]) return;
    delete state.unread[state.selected.id];
    renderBoard();
    updateTitle();
  });
  $('close-ticket').addEventListener('click', async () => {
    if (await act(`/api/agent/tickets/${encodeURIComponent(state.selected.id)}/close`)) {
      state.selected = null;
      $('console').classList.remove('has-selection');
      $('ticket-view').hidden = true;
      $('chat-empty').hidden = false;
      await loadBoard();
      $('chat-empty').focus();
    }
  });

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await api('POST', '/api/agent/session', { id: $('agent-id').value, password: $('agent-password').value });
    $('agent-password').value = '';
    if (result.status === 200) {
      $('sign-in-error').textContent = '';
      await start();
    } else {
      const retryAfter = (result.body && result.body.retryAfterS) || 1;
      const why = { 429: t().tooMany(retryAfter), 503: t().busy, 403: t().localOnly }[result.status];
      $('sign-in-error').textContent = why || t().wrongPassword;
    }
  });
  $('sign-out').addEventListener('click', async () => {
    await api('DELETE', '/api/agent/session');
    state.me = null;
    state.selected = null;
    state.chat = null;
    state.shown = null;
    state.seenQueue = null;
    state.userSeen = {};
    state.unread = {};
    state.drafts = {};
    $('message').value = '';
    $('console').classList.remove('has-selection');
    updateTitle();
    showSignIn();
  });
  document.querySelectorAll('.lang-toggle').forEach((button) =>
    button.addEventListener('click', () => {
      state.lang = state.lang === 'zh-CN' ? 'en-US' : 'zh-CN';
      localStorage.setItem('kefu.lang', state.lang);
      applyLanguage();
    }),
  );

  const wide = window.matchMedia('(min-width: 1024px)').matches;
  $('context-box').open = wide;
  $('notes-box').open = wide;

  applyLanguage();
  void start();
})();
