// The staff pages' live connection: server-sent events (the console's /api/agent/events, the
// knowledge desk's /api/knowledge/events), reopened after an outage while the person is still signed in. The browser retries a
// dropped stream by itself; one it gave up on (the session ended, the server was gone) is
// checked here: an ended session brings the sign-in form, a server still away is asked again later.
(function () {
  'use strict';

  const RETRY_MS = 5000;
  /**
   * Listens on `path` for `handlers` ({ eventType: (data) => void }); `onBack()` after the
   * stream came back from an outage (reload what changed meanwhile). Returns { close() }.
   */
  function live(path, handlers, onBack = () => {}) {
    let events = null;
    let closed = false;
    const { session } = window.kefuUi;

    function open() {
      const current = new EventSource(path);
      events = current;
      current.addEventListener('open', () => {
        if (!session.isDown()) return;
        session.connection(true);
        onBack();
      });
      for (const [type, handler] of Object.entries(handlers)) current.addEventListener(type, (event) => handler(JSON.parse(event.data || 'null')));
      current.addEventListener('error', () => {
        if (current.readyState !== window.EventSource.CLOSED) {
          // Shown as the line in the top bar, as any call that cannot reach the server is.
          session.connection(false);
          return;
        }
        window.setTimeout(async () => {
          if (closed || events !== current) return;
          const me = await session.current();
          if (closed || events !== current) return;
          if (me === null) return session.lost();
          open();
        }, session.isDown() ? RETRY_MS : 0);
      });
    }
    open();
    return {
      close() {
        closed = true;
        if (events) events.close();
        events = null;
      },
    };
  }

  window.kefuUi = Object.assign(window.kefuUi || {}, { live });
})();
