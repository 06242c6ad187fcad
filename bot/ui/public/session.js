// The staff pages' calls to the bot: every call carries x-kefu-agent: 1 (the server refuses
// cross-site writes without it or JSON), a 401 brings back the sign-in form, a 403 comes
// with a sentence the page can show, and a server that cannot be reached is status 0 with
// one line in the top bar, never a thrown error.
(function () {
  'use strict';

  const SESSION = '/api/agent/session';
  const listeners = { signedOut: [], connection: [] };
  let down = false;

  function connection(up) {
    if (down === !up) return;
    down = !up;
    for (const node of document.querySelectorAll('.connection')) node.textContent = down ? window.kefuUi.t().disconnected : '';
    for (const listener of listeners.connection) listener(up);
  }
  document.addEventListener('kefu:lang', () => {
    for (const node of document.querySelectorAll('.connection')) node.textContent = down ? window.kefuUi.t().disconnected : '';
  });

  /** `{ status, body, refused? }`; `refused` is the server's reason for a 403, to put on the page as text. */
  async function api(method, path, body, headers = {}) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { 'x-kefu-agent': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      connection(false);
      return { status: 0, body: undefined, headers: new window.Headers() };
    }
    connection(true);
    const text = await response.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status === 401 && path !== SESSION) for (const listener of listeners.signedOut) listener();
    const result = { status: response.status, body: parsed, headers: response.headers };
    if (response.status === 403) result.refused = (parsed && parsed.error) || window.kefuUi.t().failed;
    return result;
  }

  const session = {
    /** The signed-in agent (`{ id, name, role }` and the console's canned replies), or null; answers 200 either way. */
    async current() {
      const me = await api('GET', SESSION);
      if (me.status === 0) return undefined;
      return me.status === 200 && me.body.agent ? me.body : null;
    },
    signIn: (id, password) => api('POST', SESSION, { id, password }),
    async signOut() {
      await api('DELETE', SESSION);
      for (const listener of listeners.signedOut) listener();
    },
    /** The session ended while the page was open (expired, signed out elsewhere): the sign-in form again. */
    lost() {
      for (const listener of listeners.signedOut) listener();
    },
    onSignedOut: (listener) => listeners.signedOut.push(listener),
    onConnection: (listener) => listeners.connection.push(listener),
    isDown: () => down,
    connection,
  };

  window.kefuUi = Object.assign(window.kefuUi || {}, { api, session });
})();
