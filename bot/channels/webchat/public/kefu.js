/* Kefu web chat bootstrap: gets a Direct Line token from the bot's server, keeps the
 * conversation across reloads (sessionStorage), and renders Bot Framework Web Chat. */
(function () {
  'use strict';
  var STORAGE_KEY = 'kefu.webchat.v1';
  var status = document.getElementById('kefu-status');
  var target = document.getElementById('webchat');
  var current = null;

  var STATUS_TEXT = { 0: '正在连接…', 1: '正在连接…', 2: '在线 · 智能客服为您服务', 3: '连接已过期，正在重新连接…', 4: '连接失败，请刷新页面重试', 5: '对话已结束' };

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null'); } catch { return null; }
  }
  function save(session) { window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session)); }
  function forget() { window.sessionStorage.removeItem(STORAGE_KEY); }

  function fetchGrant() {
    return fetch('/api/webchat/token', { method: 'POST' }).then(function (res) {
      if (!res.ok) throw new Error('token endpoint answered ' + res.status);
      return res.json();
    });
  }

  function render(session, resumed) {
    var directLine = window.WebChat.createDirectLine({
      token: session.token,
      domain: session.domain,
      conversationId: resumed ? session.conversationId : undefined,
      webSocket: true,
    });
    current = { directLine: directLine, session: session };
    directLine.connectionStatus$.subscribe(function (value) {
      status.textContent = STATUS_TEXT[value] || '';
      if (value === 2) {
        // Keep the latest (auto-refreshed) token so a reload resumes this conversation.
        session.token = directLine.token || session.token;
        save(session);
      }
      if (value === 4 && resumed) {
        // The saved conversation can no longer be resumed (expired token, restarted server).
        forget();
        start();
      }
    });
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        locale: 'zh-CN',
        styleOptions: {
          accent: '#1f6feb',
          backgroundColor: '#ffffff',
          bubbleBackground: '#f1f3f7',
          bubbleBorderRadius: 12,
          bubbleNubSize: 0,
          bubbleFromUserBackground: '#1f6feb',
          bubbleFromUserTextColor: '#ffffff',
          bubbleFromUserBorderRadius: 12,
          bubbleFromUserNubSize: 0,
          botAvatarInitials: '客',
          botAvatarBackgroundColor: '#1f6feb',
          hideUploadButton: false,
          sendBoxTextWrap: true,
          suggestedActionLayout: 'flow',
          suggestedActionBorderRadius: 16,
          primaryFont: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
        },
      },
      target
    );
  }

  function start() {
    var saved = load();
    if (saved && saved.token && saved.conversationId) {
      render(saved, true);
      return;
    }
    fetchGrant()
      .then(function (grant) {
        var session = { token: grant.token, conversationId: grant.conversationId, domain: grant.domain };
        save(session);
        render(session, false);
      })
      .catch(function () {
        status.textContent = '暂时无法连接客服，请稍后刷新重试';
      });
  }

  window.addEventListener('pagehide', function () {
    if (current && current.directLine.token) {
      current.session.token = current.directLine.token;
      save(current.session);
    }
  });

  document.getElementById('kefu-new').addEventListener('click', function () {
    forget();
    if (current) current.directLine.end();
    window.location.reload();
  });

  start();
})();
