// The staff sign-in form, drawn into <main id="sign-in"> of the page that loads it (console or
// knowledge desk): one form, one set of messages. kefuUi.signIn.show() / hide(); the page
// passes what happens after a successful sign-in to kefuUi.signIn.mount(onSignedIn, title).
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  };

  function draw(titleKey) {
    const field = (key, input) => el('label', {}, [el('span', { dataset: { t: key } }), input]);
    return el('form', { id: 'sign-in-form', className: 'card' }, [
      el('h1', { dataset: { t: titleKey } }),
      field('agentId', el('input', { id: 'agent-id', name: 'id', autocomplete: 'username', required: true })),
      field('password', el('input', { id: 'agent-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
      el('p', { id: 'sign-in-error', className: 'error', role: 'alert' }),
      el('button', { type: 'submit', dataset: { t: 'signIn' } }),
      el('button', { type: 'button', className: 'link lang-toggle' }),
    ]);
  }

  const signIn = {
    /** Draws the form (titled with the page's word `titleKey`) and calls `onSignedIn()` after a good sign-in. */
    mount(titleKey, onSignedIn) {
      const host = $('sign-in');
      host.replaceChildren(draw(titleKey));
      window.kefuUi.i18n.apply(host);
      $('sign-in-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const t = window.kefuUi.t();
        const result = await window.kefuUi.session.signIn($('agent-id').value, $('agent-password').value);
        $('agent-password').value = '';
        if (result.status === 200) {
          $('sign-in-error').textContent = '';
          await onSignedIn();
          return;
        }
        const retryAfter = (result.body && result.body.retryAfterS) || 1;
        const why = { 429: t.tooMany(retryAfter), 503: t.busy, 403: t.localOnly }[result.status];
        $('sign-in-error').textContent = why || t.wrongPassword;
      });
    },
    show() {
      $('sign-in').hidden = false;
      $('agent-id').focus();
    },
    hide() {
      $('sign-in').hidden = true;
    },
  };

  window.kefuUi = Object.assign(window.kefuUi || {}, { signIn });
})();
