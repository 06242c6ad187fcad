import type { KbEntry, Locale } from './schema';
import { atOnce, type Sliced } from './slices';
import { normalize } from './text';

/**
 * Someone else's products, services and devices, by name ("微信", "12306", "电话手表", "Apple ID",
 * "Cash App"), as the knowledge base's out-of-scope entries list them (`names`).
 *
 * Why names and not only examples: a user asks about another company's account in exactly our
 * words ("微信怎么换绑手机号", "Is Cash App down right now?"), so everything but the name matches our
 * entry, and no out-of-scope example is as close. The name alone says whose account it is. An
 * entry of ours that mentions the name itself ("换号后支付宝微信要改吗" in the other-bindings entry,
 * "有人加我微信说是客服" in the phishing warning) is about that product's place in our service, so
 * the name is no objection to it.
 */
export interface OthersNames {
  /** The names of others' products a text mentions. */
  namedIn(text: string): string[];
  /** Names the message mentions that this entry never does: whose subject the message is instead. */
  unexplained(named: readonly string[], entryId: string, locale: Locale): string[];
}

const HAN = /\p{Script=Han}/u;

/**
 * A message that points at us ("你们这边改手机号收费吗", "does your app charge for it") tells the
 * other product as its story: "我朋友在别的平台改号被收了钱，你们这边收费吗" asks about ours.
 */
const POINTS_AT_US = /你们|您们|贵司|贵平台|咱们|\byour (app|wallet|side|end|platform|company|team|service)\b|\byou guys\b/u;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pass finds every name: Chinese names in the text without spaces ("建设银行 app"), Latin
 * names as whole words with a plural or possessive "s" allowed, ending at a Han character too
 * ("apple id忘了" names Apple ID). Longest names first, so "企业微信" is found before "微信".
 */
function finderOf(names: readonly string[]): (normalizedText: string) => string[] {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const han = byLength.filter((name) => HAN.test(name)).map((name) => name.replace(/ /g, ''));
  const latin = byLength.filter((name) => !HAN.test(name));
  const hanPattern = han.length > 0 ? new RegExp(han.map(escape).join('|'), 'gu') : undefined;
  const latinPattern = latin.length > 0 ? new RegExp(`(?<![\\p{Script=Latin}\\p{N}])(${latin.map(escape).join('|')})s?(?![\\p{Script=Latin}\\p{N}])`, 'gu') : undefined;
  const spaced = new Map(han.map((squeezed) => [squeezed, names.find((name) => name.replace(/ /g, '') === squeezed) ?? squeezed]));
  return (text) => {
    const found = new Set<string>();
    for (const m of text.replace(/ /g, '').matchAll(hanPattern ?? /(?!)/gu)) found.add(spaced.get(m[0]) ?? m[0]);
    for (const m of text.matchAll(latinPattern ?? /(?!)/gu)) found.add(m[1] ?? m[0]);
    return [...found];
  };
}

export const pointsAtUs = (text: string): boolean => POINTS_AT_US.test(normalize(text));

export function learnOthersNames(entries: readonly KbEntry[]): OthersNames {
  return atOnce(othersNamesLearning(entries));
}

/** `learnOthersNames` as work that pauses after each entry (see slices.ts). */
export function* othersNamesLearning(entries: readonly KbEntry[]): Sliced<OthersNames> {
  // Both locales' names, whatever the message's language: "my 微信 got locked", "苹果的apple id忘了".
  const find = finderOf([...new Set(entries.flatMap((e) => e.names ?? []).map(normalize))]);
  const namedIn = (text: string): string[] => find(normalize(text));
  const mentionedBy = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.kind !== 'faq') continue;
    mentionedBy.set(`${entry.locale}:${entry.id}`, new Set(namedIn([entry.question, ...entry.alternates, entry.answer ?? ''].join(' '))));
    yield;
  }
  return {
    namedIn,
    unexplained: (named, entryId, locale) => {
      const mentioned = mentionedBy.get(`${locale}:${entryId}`);
      return named.filter((name) => !mentioned?.has(name));
    },
  };
}
