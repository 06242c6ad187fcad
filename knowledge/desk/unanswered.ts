import crypto from 'node:crypto';
import { maskText } from '../../domain/mask';
import type { Router } from '../route';
import type { Locale } from '../schema';
import { normalize } from '../text';
import { groupUnanswered, type AuthorSignal, type UnansweredGroup } from '../unanswered';
import type { Resolution } from './draft';

export interface DeskGroup extends Omit<UnansweredGroup, 'wordings'> {
  /** Stable while the group's top wording stays on top: the resolve route's handle. */
  id: string;
  /** Distinct conversations that asked. */
  conversations: number;
}

/** A short hash of the locale and the top wording. */
export const groupIdOf = (locale: Locale, wording: string): string => crypto.createHash('sha256').update(`${locale}\u0000${normalize(wording)}`).digest('base64url').slice(0, 10);

/**
 * What users asked without a good answer, grouped as `kb unanswered` groups it, for the desk:
 * each group with an id and its number of conversations, masked, the groups a lead resolved
 * left out (any of their wordings resolved before).
 */
export function deskGroups(signals: readonly (AuthorSignal & { conversation: string })[], router: Router, resolutions: readonly Resolution[], locale?: Locale): (DeskGroup & { wordings: string[] })[] {
  const resolved = new Set(resolutions.flatMap((r) => r.wordings.map((w) => `${r.locale}\u0000${w}`)));
  const mine = signals.filter((s) => !locale || s.locale === locale);
  const conversationsOf = new Map<string, Set<string>>();
  for (const signal of mine) {
    const key = `${signal.locale}\u0000${normalize(signal.question)}`;
    const set = conversationsOf.get(key) ?? new Set<string>();
    set.add(signal.conversation);
    conversationsOf.set(key, set);
  }
  return groupUnanswered(mine, router)
    .filter((group) => !group.wordings.some((w) => resolved.has(`${group.locale}\u0000${w}`)))
    .map((group) => {
      const conversations = new Set(group.wordings.flatMap((w) => [...(conversationsOf.get(`${group.locale}\u0000${w}`) ?? [])]));
      return {
        ...group,
        id: groupIdOf(group.locale, group.examples[0] ?? ''),
        conversations: conversations.size,
        examples: group.examples.map(maskText),
      };
    });
}
