import type { Locale } from '../knowledge/schema';

/**
 * Whether an answer tells the user to contact support ("多次尝试仍收不到，请联系客服"): such an
 * answer offers the way there as a button, instead of leaving the user to find the words.
 */
const MENTIONS: Record<Locale, RegExp> = {
  'zh-CN': /联系(?:人工)?客服/,
  'en-US': /\bcontact (?:our )?(?:customer )?(?:support|service)\b/i,
};

export function sendsToSupport(answer: string, locale: Locale): boolean {
  return MENTIONS[locale].test(answer);
}
