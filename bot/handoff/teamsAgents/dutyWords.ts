import type { Locale } from '../../../knowledge/schema';

/** What an agent in Teams is told of 上班 / 下班, in the language of their Teams. */

export interface DutyWords {
  locale: Locale;
  onUntil(until: number, timeZone: string): string;
  onAlways: string;
  off: string;
  closed(hours: string): string;
}

/** "21:00", or with the date when the duty ends on another day than today ("6月2日 09:00"). */
function when(until: number, timeZone: string, lang: 'zh' | 'en', now = Date.now()): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const clock = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(until);
  if (day(until) === day(now)) return clock;
  return `${new Intl.DateTimeFormat(locale, { timeZone, month: lang === 'zh' ? 'numeric' : 'short', day: 'numeric' }).format(until)} ${clock}`;
}

export function dutyWords(lang: 'zh' | 'en'): DutyWords {
  return lang === 'zh'
    ? {
        locale: 'zh-CN',
        onUntil: (until, timeZone) => `好的，您已上班，到 ${when(until, timeZone, lang)}（今天的服务时间结束）为止都算在线，不必一直发消息。用户转人工时，会话会发到本频道等您接入。提前离开请 @Kefu 下班。`,
        onAlways: '好的，您已上班，在您 @Kefu 下班之前都算在线，不必一直发消息。用户转人工时，会话会发到本频道等您接入。',
        off: '好的，您已下班，不再算作在线客服。',
        closed: (hours) => `现在不在服务时间（${hours}），用户此时转人工会被请留言。请在服务时间内再 @Kefu 上班。`,
      }
    : {
        locale: 'en-US',
        onUntil: (until, timeZone) => `You are on duty until ${when(until, timeZone, lang)} (when today's hours end), with no need to keep writing. Handed-off chats come to this channel for you to claim. Leaving earlier? @Kefu off duty.`,
        onAlways: 'You are on duty until you say @Kefu off duty, with no need to keep writing. Handed-off chats come to this channel for you to claim.',
        off: 'You are off duty and no longer count as an agent online.',
        closed: (hours) => `The team's hours are over (${hours}); users who ask for a person now are offered to leave a message. Go on duty again within the hours.`,
      };
}
