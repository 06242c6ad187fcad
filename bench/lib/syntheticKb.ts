import { isFaq, type KbEntry } from '../../knowledge/schema';
import type { VersionFile } from '../../knowledge/versions/schema';

/** Circumstances a user adds to a question: each copy of an entry asks it in one of them. */
const ZH_CONTEXTS = ['在国外', '用信用卡时', '换了新手机后', '帮家人', '第一次', '晚上', '周末', '在电脑上', '用小程序', '升级后', '出差时', '刚刚', '大额', '给朋友', '开通后', '注销前'];
const EN_CONTEXTS = ['abroad', 'on a new phone', 'for my mum', 'for the first time', 'at night', 'on a weekend', 'on my laptop', 'after the update', 'on a business trip', 'just now', 'for a large amount', 'for a friend', 'after signing up', 'before closing it', 'with a credit card', 'from the mini program'];

/**
 * A knowledge base of `count` entries made from the real one: its FAQ entries copied, each copy
 * asking every phrasing in one more circumstance ("在国外" + 怎么修改手机号, "… abroad") under an
 * id of its own, the answer unchanged; acts and out-of-scope entries once. Copies of one entry
 * are near-duplicates of each other, so routing over it clarifies more than a real base of that
 * size would: it measures what building and serving cost, not how well it answers.
 */
export function syntheticFiles(files: readonly VersionFile[], count: number): VersionFile[] {
  const all = files.flatMap((f) => f.entries);
  const faqs = all.filter(isFaq);
  const extra: Record<'zh-CN' | 'en-US', KbEntry[]> = { 'zh-CN': [], 'en-US': [] };
  for (let i = 0; all.length + extra['zh-CN'].length + extra['en-US'].length < count; i++) {
    const entry = faqs[i % faqs.length]!;
    const copy = Math.floor(i / faqs.length);
    const contexts = entry.locale === 'zh-CN' ? ZH_CONTEXTS : EN_CONTEXTS;
    const context = `${contexts[copy % contexts.length]}${copy >= contexts.length ? ` ${Math.floor(copy / contexts.length) + 1}` : ''}`;
    const vary = (text: string) => (entry.locale === 'zh-CN' ? `${context}${text}` : `${text.replace(/[?.!]+$/, '')} ${context}?`);
    extra[entry.locale].push({ ...entry, id: `${entry.id}-v${copy + 1}`, question: vary(entry.question), alternates: entry.alternates.map(vary), followUps: undefined });
  }
  return [...files, ...(['zh-CN', 'en-US'] as const).map((locale) => ({ path: `${locale}/synthetic.yaml`, entries: extra[locale] }))];
}
