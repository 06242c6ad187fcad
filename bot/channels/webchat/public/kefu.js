/* Kefu web chat bootstrap: gets a Direct Line token from the bot's server, keeps the
 * conversation across reloads (sessionStorage), and renders Bot Framework Web Chat. */
(function () {
  'use strict';
  var STORAGE_KEY = 'kefu.webchat.v1';
  var status = document.getElementById('kefu-status');
  var target = document.getElementById('webchat');
  var current = null;
  // Set by 新对话: the page is leaving this conversation, so nothing may save it again.
  var leaving = false;
  var header = window.KefuSpeaker.createHeader({ avatar: document.querySelector('.kefu-avatar') });
  var connection = 0;

  var STATUS_TEXT = { 0: '正在连接…', 1: '正在连接…', 3: '连接已过期，正在重新连接…', 4: '连接失败，请刷新页面重试', 5: '对话已结束' };
  function showStatus() {
    status.textContent = connection === 2 ? header.online() : STATUS_TEXT[connection] || '';
  }

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null'); } catch { return null; }
  }
  function save(session) { if (!leaving) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session)); }
  function forget() { window.sessionStorage.removeItem(STORAGE_KEY); }

  // Uploads the server refuses (by their content or size) get a sentence saying what is
  // accepted, not only Web Chat's "send failed". The limit comes from the server's answer.
  var UPLOAD_REFUSED = {
    UnsupportedMediaType: function (max) { return '只能上传图片（PNG、JPEG、GIF、WebP）或 PDF 文件，每次上传合计不超过 ' + max + '。'; },
    MessageSizeTooBig: function (max) { return '文件太大了：只能上传图片或 PDF 文件，每次上传合计不超过 ' + max + '。'; },
    UploadQuotaExceeded: function () { return '这次对话上传的文件已达上限，请直接用文字说明，或回复“转人工”。'; }
  };

  function megabytes(bytes) { return Number((bytes / 1048576).toFixed(1)) + ' MB'; }

  function refusal(payload) {
    var body = payload && payload.response;
    if (typeof body === 'string') { try { body = JSON.parse(body); } catch { body = null; } }
    var error = body && body.error;
    var say = error && Object.prototype.hasOwnProperty.call(UPLOAD_REFUSED, error.code) && UPLOAD_REFUSED[error.code];
    return say ? say(megabytes(Number(error.maxBytes) || 0)) : null;
  }

  function createStore() {
    return window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && header.see(action.payload.activity)) showStatus();
          var message = action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED' && refusal(action.payload);
          if (message) api.dispatch({ type: 'WEB_CHAT/SET_NOTIFICATION', payload: { id: 'kefu-upload', level: 'error', message: message } });
          return next(action);
        };
      };
    });
  }

  function fetchGrant() {
    return fetch('/api/webchat/token', { method: 'POST' }).then(function (res) {
      if (!res.ok) throw new Error('token endpoint answered ' + res.status);
      return res.json();
    });
  }

  function render(session, resumed) {
    var directLine = window.WebChat.createDirectLine({
      token: session.token,
      // The embedded Direct Line's domain is relative: this page's own origin.
      domain: new window.URL(session.domain, window.location.href).href,
      conversationId: resumed ? session.conversationId : undefined,
      webSocket: true,
    });
    current = { directLine: directLine, session: session };
    directLine.connectionStatus$.subscribe(function (value) {
      connection = value;
      showStatus();
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
        store: createStore(),
        locale: 'zh-CN',
        // The agent who has the chat sees 用户正在输入… (Web Chat leaves this off by default).
        sendTypingIndicator: true,
        avatarMiddleware: window.KefuSpeaker.avatarMiddleware,
        groupActivitiesMiddleware: window.KefuSpeaker.groupActivitiesMiddleware,
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
          uploadAccept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf',
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
    if (current && current.directLine.token && !leaving) {
      current.session.token = current.directLine.token;
      save(current.session);
    }
  });

  document.getElementById('kefu-new').addEventListener('click', function () {
    leaving = true;
    forget();
    if (current) current.directLine.end();
    window.location.reload();
  });

  start();
})();
