import { sizeLabel } from '../dialogs/flows/flowMessages';
import type { AnswerValues, LocalizedAnswerValues } from '../knowledge/placeholders';
import type { Locale } from '../knowledge/schema';
import type { Config } from './config';
import { describeSchedule, parseSchedule } from './handoff/schedule';

/**
 * A menu path written into an answer: each step as the app labels it, quoted the way the
 * language quotes UI text — “我”→“账户安全”, **Me** → **Account security**.
 */
export function menuPathText(path: string, locale: Locale): string {
  const steps = path.split('>').map((step) => step.trim());
  return locale === 'zh-CN' ? steps.map((s) => `“${s}”`).join('→') : steps.map((s) => `**${s}**`).join(' → ');
}

/** What the answers' placeholders read as in this deployment, in both languages; built once. */
export function answerValuesOf(config: Config): LocalizedAnswerValues {
  const schedule = parseSchedule(config.HANDOFF_HOURS, config.HANDOFF_TIMEZONE);
  const menus = {
    'zh-CN': { security: config.APP_MENU_ACCOUNT_SECURITY_ZH, bind: config.APP_MENU_BIND_PHONE_ZH, change: config.APP_MENU_CHANGE_PHONE_ZH },
    'en-US': { security: config.APP_MENU_ACCOUNT_SECURITY_EN, bind: config.APP_MENU_BIND_PHONE_EN, change: config.APP_MENU_CHANGE_PHONE_EN },
  };
  const of = (locale: Locale): AnswerValues => ({
    supportHours: describeSchedule(schedule, locale),
    uploadLimit: sizeLabel(config.DIRECTLINE_MAX_UPLOAD_BYTES),
    menuAccountSecurity: menuPathText(menus[locale].security, locale),
    menuBindPhone: menuPathText(menus[locale].bind, locale),
    menuChangePhone: menuPathText(menus[locale].change, locale),
  });
  return { 'zh-CN': of('zh-CN'), 'en-US': of('en-US') };
}
