// Writing to the user: canned replies, sending, notes, claiming and resolving the open chat.
(function () {
  'use strict';
  const K = window.kefuConsole;
  const { state, $, el } = K;

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
    if (await K.act(`/api/agent/chats/${encodeURIComponent(id)}/messages`, { text })) {
      // Sent: that chat's draft is gone, even if the agent has already opened another chat.
      delete state.drafts[id];
      if (state.selected.id === id) $('message').value = '';
    }
    $('send').disabled = false;
  });
  $('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('note').value.trim();
    if (text && (await K.act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/notes`, { text }))) $('note').value = '';
  });
  $('claim').addEventListener('click', async () => {
    if (await K.act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/claim`)) {
      await K.loadBoard();
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
    if (await K.act(`/api/agent/chats/${encodeURIComponent(state.selected.id)}/resolve`)) {
      await K.loadBoard();
      // The heading now says the chat has ended.
      $('chat-title').focus();
    }
  });

  K.askResolve = askResolve;
})();
