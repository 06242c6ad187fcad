import type { KbEntry, Locale } from './schema';
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

/** A name as it is looked for: Chinese without spaces ("建设银行 app"), Latin as whole words, a plural or possessive "s" allowed. */
function matcherOf(name: string): (normalizedText: string, squeezed: string) => boolean {
  const plain = normalize(name);
  if (HAN.test(plain)) {
    const squeezedName = plain.replace(/ /g, '');
    return (_text, squeezed) => squeezed.includes(squeezedName);
  }
  const escaped = plain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A Latin name inside Chinese ends at a Han character: "apple id忘了" names Apple ID.
  const pattern = new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${escaped}s?(?![\\p{Script=Latin}\\p{N}])`, 'u');
  return (text) => pattern.test(text);
}

export const pointsAtUs = (text: string): boolean => POINTS_AT_US.test(normalize(text));

export function learnOthersNames(entries: readonly KbEntry[]): OthersNames {
  // Both locales' names, whatever the message's language: "my 微信 got locked", "苹果的apple id忘了".
  const names = [...new Set(entries.flatMap((e) => e.names ?? []).map(normalize))].map((name) => ({ name, matches: matcherOf(name) }));
  const namedIn = (text: string): string[] => {
    const normalized = normalize(text);
    const squeezed = normalized.replace(/ /g, '');
    return names.filter((n) => n.matches(normalized, squeezed)).map((n) => n.name);
  };
  const mentionedBy = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.kind !== 'faq') continue;
    mentionedBy.set(`${entry.locale}:${entry.id}`, new Set(namedIn([entry.question, ...entry.alternates, entry.answer ?? ''].join(' '))));
  }
  return {
    namedIn,
    unexplained: (named, entryId, locale) => {
      const mentioned = mentionedBy.get(`${locale}:${entryId}`);
      return named.filter((name) => !mentioned?.has(name));
    },
  };
}
