// The words of the staff pages (agent console, knowledge desk) in both languages they speak,
// and the switch between them. Shared by /agent and /knowledge: one choice (localStorage
// kefu.lang) holds on both. Pages add their own words with kefuUi.i18n.add(table).
(function () {
  'use strict';

  const WORDS = {
    'zh-CN': {
      agentId: '工号', password: '密码', signIn: '登录', signOut: '退出登录', lang: 'English', langLabel: '切换到英文界面',
      wrongPassword: '工号或密码不正确。', tooMany: (s) => `尝试次数过多，请 ${s} 秒后再试。`, busy: '登录请求较多，请稍后再试。', localOnly: '演示账号只能在运行机器人的这台电脑上登录。',
      disconnected: '连接已断开，正在重连…', failed: '操作失败，请重试。',
      unavailable: '服务暂时不可用：数据库或共享存储没有响应，请稍后再试。',
    },
    'en-US': {
      agentId: 'Agent id', password: 'Password', signIn: 'Sign in', signOut: 'Sign out', lang: '中文', langLabel: 'Switch to Chinese',
      wrongPassword: 'Wrong agent id or password.', tooMany: (s) => `Too many attempts; try again in ${s} s.`, busy: 'Many sign-ins at once; try again in a moment.', localOnly: 'The demo agents can only sign in on the machine the bot runs on.',
      disconnected: 'Connection lost; reconnecting…', failed: 'Something went wrong; try again.',
      unavailable: 'Temporarily unavailable: the database or shared store is not answering; try again in a moment.',
    },
  };

  let lang = localStorage.getItem('kefu.lang') || (navigator.language.startsWith('zh') ? 'zh-CN' : 'en-US');
  if (!WORDS[lang]) lang = 'zh-CN';

  const i18n = {
    lang: () => lang,
    t: () => WORDS[lang],
    /** A page's own words, merged over the shared ones. */
    add(table) {
      for (const code of Object.keys(WORDS)) Object.assign(WORDS[code], table[code]);
    },
    /** Fills [data-t] (text) and [data-t-label] (aria-label) under `root`, and the language switches. */
    apply(root = document) {
      document.documentElement.lang = lang;
      root.querySelectorAll('[data-t]').forEach((node) => (node.textContent = WORDS[lang][node.dataset.t]));
      root.querySelectorAll('[data-t-label]').forEach((node) => node.setAttribute('aria-label', WORDS[lang][node.dataset.tLabel]));
      root.querySelectorAll('.lang-toggle').forEach((node) => {
        node.textContent = WORDS[lang].lang;
        node.setAttribute('lang', lang === 'zh-CN' ? 'en' : 'zh-CN');
      });
    },
    /** Switches language, remembers it, and tells the page (event kefu:lang). */
    toggle() {
      lang = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
      localStorage.setItem('kefu.lang', lang);
      i18n.apply();
      document.dispatchEvent(new window.CustomEvent('kefu:lang', { detail: { lang } }));
    },
  };

  // Any .lang-toggle button, whenever it was added (the desk draws its top bar later).
  document.addEventListener('click', (event) => {
    const button = event.target instanceof window.Element ? event.target.closest('.lang-toggle') : null;
    if (button) i18n.toggle();
  });

  window.kefuUi = Object.assign(window.kefuUi || {}, { i18n, t: () => WORDS[lang] });
})();
