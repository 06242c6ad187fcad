// The agent console. Plain browser JavaScript, no framework, no CDN. Everything people
// typed (users and agents) is put on the page with textContent, never as HTML. Sign-in,
// session calls, words and the live connection are the staff pages' shared parts (/ui/*.js).
(function () {
  'use strict';

  const UI = window.kefuUi;

  const $ = (id) => document.getElementById(id);
  const state = {
    get lang() {
      return UI.i18n.lang();
    },
    me: null, canned: [], board: null, selected: null, chat: null, events: null, cannedIndex: 0,
    // Which transcript entries are on the page, so an update appends only the new ones (the list is a live region).
    shown: null,
    // Queued chats already seen, and per chat of mine the user messages seen / not yet read: what is new is announced.
    seenQueue: null, userSeen: {}, unread: {},
    // What the agent was writing in each chat, kept while they look at another.
    drafts: {},
    alerts: localStorage.getItem('kefu.alerts') === 'on',
  };
  const t = UI.t;
  // What chatView.js and composer.js share with this file; each adds what it renders or handles.
  const K = (window.kefuConsole = { state, $, t, el, api, act, loadBoard, backToList });

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The shared call (/ui/session.js): the console's header on every call, status 0 for a server away.
  function api(method, path, body) {
    return UI.api(method, path, body);
  }

  function applyLanguage() {
    UI.i18n.apply();
    document.title = t().title;
    $('alerts').setAttribute('aria-pressed', String(state.alerts));
    state.shown = null;
    $('message').placeholder = `${t().messageLabel}…`;
    if (state.board) renderBoard();
    if (state.chat) K.renderChat();
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
    UI.signIn.show();
  }
  UI.session.onSignedOut(showSignIn);

  async function start() {
    // The session route answers 200 either way: the sign-in page loads without a failed request.
    const me = await UI.session.current();
    if (me === undefined) return window.setTimeout(() => void start(), RETRY_MS);
    if (me === null) return showSignIn();
    state.me = me.agent;
    state.canned = me.canned;
    UI.signIn.hide();
    $('console').hidden = false;
    $('agent-name').textContent = state.me.name;
    await loadBoard();
    listen();
    // Focus where the work starts, never left on the hidden sign-in form.
    $('console-title').focus();
  }

  const RETRY_MS = 5000;

  function listen() {
    const forward = (type) => (data) => document.dispatchEvent(new window.CustomEvent(`kefu:${type}`, { detail: data }));
    state.events = UI.live(
      '/api/agent/events',
      {
        // workday.js (typing, history, supervisor) listens on the document, not on this stream.
        board: (data) => {
          void loadBoard();
          forward('board')(data);
        },
        typing: forward('typing'),
        chat: ({ id }) => {
          if (state.selected && state.selected.kind === 'chat' && state.selected.id === id) void loadChat();
          else if (state.board && state.board.active.some((h) => h.id === id && h.agentId === state.me.id)) void peekChat(id);
        },
      },
      // Back after an outage: what changed meanwhile is loaded.
      () => void loadBoard(),
    );
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
    K.askResolve(false);
    $('console').classList.add('has-selection');
    renderBoard();
    updateTitle();
    if (kind === 'chat') await loadChat();
    else K.renderTicket();
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
    K.renderChat();
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

  $('sign-out').addEventListener('click', async () => {
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
    // Signing out brings the sign-in form (the shared session tells every listener).
    await UI.session.signOut();
  });
  // The shared switch (/ui/i18n.js) changes the language; the console redraws what it drew.
  document.addEventListener('kefu:lang', applyLanguage);

  const wide = window.matchMedia('(min-width: 1024px)').matches;
  $('context-box').open = wide;
  $('notes-box').open = wide;

  // After chatView.js, composer.js and workday.js have joined in: every script is in before the first render.
  document.addEventListener('DOMContentLoaded', () => {
    UI.signIn.mount('title', start);
    applyLanguage();
    void start();
  });
})();
