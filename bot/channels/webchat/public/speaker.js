/* Who the user is talking to: the bot, or the agent who has the chat. The bot's server marks
 * each of its messages (channelData.kefu, bot/channels/webchat/speaker.ts); the last mark seen
 * names the header, and an agent's own lines get the agent's avatar instead of the bot's. */
(function () {
  'use strict';

  function markOf(activity) {
    var data = activity && activity.from && activity.from.role === 'bot' && activity.channelData;
    var mark = data && data.kefu;
    return mark && (mark.talkingTo === 'bot' || mark.talkingTo === 'agent') ? mark : null;
  }

  function initial(name) {
    return Array.from(String(name || '').trim())[0] || '人';
  }

  /** Header: the status line's words while online, and the avatar. */
  function createHeader(elements) {
    var talkingTo = { talkingTo: 'bot' };
    function show() {
      var agent = talkingTo.talkingTo === 'agent';
      var name = agent ? talkingTo.agentName : '';
      elements.avatar.textContent = agent ? initial(name) : '客';
      elements.avatar.classList.toggle('kefu-avatar--agent', agent);
    }
    return {
      /** The status line's words when connected. */
      online: function () {
        if (talkingTo.talkingTo !== 'agent') return '在线 · 智能客服为您服务';
        return talkingTo.agentName ? '在线 · 人工客服「' + talkingTo.agentName + '」为您服务' : '在线 · 人工客服为您服务';
      },
      /** Reads an incoming activity; true when who the user talks to changed. */
      see: function (activity) {
        var mark = markOf(activity);
        if (!mark || (mark.talkingTo === talkingTo.talkingTo && mark.agentName === talkingTo.agentName)) return false;
        talkingTo = mark;
        show();
        return true;
      },
    };
  }

  /*
   * Web Chat draws avatars with React elements and does not hand its React to the page; an
   * agent's avatar is made as an element of the same kind as the one Web Chat's own avatar
   * renderer returns (same $$typeof), so no second copy of React is loaded.
   */
  function avatarMiddleware() {
    return function (next) {
      return function (args) {
        var mark = markOf(args.activity);
        var render = next(args);
        if (!mark || !mark.byAgent || typeof render !== 'function') return render;
        return function () {
          var original = render();
          if (!original || !original.$$typeof) return original;
          return {
            $$typeof: original.$$typeof,
            type: 'div',
            key: null,
            ref: null,
            props: { className: 'kefu-agent-avatar', 'aria-hidden': 'true', title: mark.agentName, children: initial(mark.agentName) },
            _owner: null,
          };
        };
      };
    };
  }

  function byAgent(activity) {
    var mark = markOf(activity);
    return !!(mark && mark.byAgent);
  }

  /* Web Chat groups consecutive lines of one sender under one avatar, and the agent's lines
   * reach it as the bot's: a change between the bot and the agent starts a new group. */
  function groupActivitiesMiddleware() {
    return function (next) {
      return function (args) {
        var groups = next(args);
        var sender = [];
        (groups.sender || []).forEach(function (group) {
          var last = null;
          group.forEach(function (activity, index) {
            if (index === 0 || byAgent(activity) !== byAgent(group[index - 1])) sender.push((last = []));
            last.push(activity);
          });
        });
        return Object.assign({}, groups, { sender: sender });
      };
    };
  }

  window.KefuSpeaker = { createHeader: createHeader, avatarMiddleware: avatarMiddleware, groupActivitiesMiddleware: groupActivitiesMiddleware };
})();
