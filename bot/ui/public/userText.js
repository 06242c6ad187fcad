// What a user typed, as the staff pages (console, knowledge desk) show it: on one line, a line break shown as ↵, so a
// user cannot start a line of their own that looks like the console's (a fake
// "号码验证：已通过…" under the unanswered questions); controls and bidi overrides (which
// reorder what is shown) are dropped. The same rule as oneLine in bot/channels/render.ts,
// which the browser cannot load. Put on the page with textContent only, never as HTML.
(function () {
  'use strict';

  const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const UNSHOWN = /[\u0000-\u0008\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

  const userLine = (text) => String(text == null ? '' : text).replace(LINE_BREAK, ' ↵ ').replace(/\t/g, ' ').replace(UNSHOWN, '');
  window.kefuUserLine = userLine;
  window.kefuUi = Object.assign(window.kefuUi || {}, { userLine });
})();
