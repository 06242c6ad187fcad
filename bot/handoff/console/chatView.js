// The open chat (its context, transcript and notes) or ticket, as the agent reads it. Everything
// people typed goes on the page with textContent, never as HTML.
(function () {
  'use strict';
  const K = window.kefuConsole;
  const { state, $, t, el } = K;

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
    if (!mine) K.askResolve(false);
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

  Object.assign(K, { renderChat, renderTicket });
})();
