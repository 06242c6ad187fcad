import { z } from 'zod';
import { localeSchema } from '../domain/locale';
import { answerTextProblems } from './answerText';
import { ANSWER_PLACEHOLDERS, unknownPlaceholders } from './placeholders';

// The knowledge base speaks the domain's locales; its readers keep importing them from here.
export { LOCALES, localeSchema, type Locale } from '../domain/locale';

/** Guided self-service flows a message can start. */
export const FLOWS = ['unlock', 'phone-change', 'appeal', 'appeal-status'] as const;
export const flowSchema = z.enum(FLOWS);
export type FlowName = z.infer<typeof flowSchema>;

/** What an answer may offer to start after it: a flow, or a person. */
export const entryActionSchema = z.enum([...FLOWS, 'handoff']);
export type EntryAction = z.infer<typeof entryActionSchema>;

const entryId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. phone-change-how');

const phrase = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
/** A question is at least two characters; an act may be one ("好", "嗯", "k"). */
const MIN_QUESTION_CHARS = 2;

/**
 * `faq` entries are answered. `out-of-scope` entries are negative examples: phrasings that
 * look like ours but are about something else; a message closest to one of them falls back.
 * `act` entries are examples of a conversation act ("好的", "谢谢", "再说一遍"): how people say
 * it, read before any question is looked up (knowledge/acts.ts).
 */
export const entryKindSchema = z.enum(['faq', 'out-of-scope', 'act']);

/**
 * What a message does in the conversation rather than ask: agree or decline what the bot just
 * offered, thank, close, greet, ask for the last answer again, say it was not understood,
 * correct what they said, ask whether the bot is a person, or want a person without saying
 * "转人工" (frustration, someone in charge, a call back).
 */
export const ACTS = ['affirm', 'deny', 'ack', 'thanks', 'goodbye', 'greet', 'repeat', 'not-understood', 'correction', 'bot-challenge', 'human-indirect'] as const;
export const actSchema = z.enum(ACTS);
export type Act = z.infer<typeof actSchema>;

/**
 * An entry as the knowledge base accepts it. `linkHosts` are the hosts an answer may link to
 * (KB_LINK_HOSTS): the one rule that differs between deployments.
 */
/**
 * An entry's fields and their types, without the rules between them or on the answer's text:
 * what a stored version or draft is read with. Its answers are judged against today's
 * KB_LINK_HOSTS before it is served (checkEntryFiles), not when it is read back.
 */
export const kbEntryShapeSchema = z
  .object({
    id: entryId,
    kind: entryKindSchema.default('faq'),
    locale: localeSchema,
    question: phrase,
    alternates: z.array(phrase).min(1, 'must list at least one alternate phrasing'),
    answer: z.string().trim().min(1, 'must not be empty').optional(),
    tags: z.array(z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase ascii')).default([]),
    followUps: z.array(entryId).max(5, 'must list at most 5 ids').optional(),
    action: entryActionSchema.optional(),
    act: actSchema.optional(),
    /**
     * Out-of-scope entries only: names of the others' products, services and devices they stand
     * for ("微信", "12306", "Apple ID"). A message naming one is about that product unless the
     * entry it lands on mentions the name too (knowledge/others.ts).
     */
    names: z.array(z.string().trim().min(2, 'must be at least 2 characters').max(40, 'must be at most 40 characters')).min(1).optional(),
  })
  .strict();

export const kbEntrySchemaFor = (linkHosts: readonly string[]) =>
  kbEntryShapeSchema.superRefine((entry, ctx) => {
    if (entry.kind === 'faq' && entry.answer === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: 'is required for an FAQ entry' });
    }
    if (entry.kind !== 'act') {
      [entry.question, ...entry.alternates].forEach((text, i) => {
        if ([...text].length < MIN_QUESTION_CHARS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: i === 0 ? ['question'] : ['alternates', i - 1], message: 'must be at least 2 characters' });
      });
    }
    if ((entry.kind === 'act') !== (entry.act !== undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['act'], message: entry.kind === 'act' ? 'is required for an act entry' : 'belongs to act entries only' });
    }
    if (entry.kind === 'act' && (entry.answer !== undefined || entry.action !== undefined || entry.followUps !== undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: 'an act entry has examples only: no answer, action or followUps' });
    }
    if (entry.names !== undefined && entry.kind !== 'out-of-scope') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['names'], message: 'belongs to out-of-scope entries only' });
    }
    for (const reason of entry.answer === undefined ? [] : answerTextProblems(entry.answer, entry.locale, linkHosts)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: reason });
    }
    for (const name of unknownPlaceholders(entry.answer ?? '')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['answer'],
        message: `{${name}} is not a placeholder (known: ${ANSWER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      });
    }
  });

/** With no hosts trusted: an answer holds no links. */
export const kbEntrySchema = kbEntrySchemaFor([]);

export type KbEntry = z.infer<typeof kbEntrySchema>;

export const kbFileSchema = z.array(z.unknown(), { invalid_type_error: 'a knowledge file must be a YAML list of entries' });

/** An entry the bot answers with. */
export type FaqEntry = KbEntry & { kind: 'faq'; answer: string };

export function isFaq(entry: KbEntry): entry is FaqEntry {
  return entry.kind === 'faq' && entry.answer !== undefined;
}

/** Examples of one conversation act. */
export type ActEntry = KbEntry & { kind: 'act'; act: Act };

export function isAct(entry: KbEntry): entry is ActEntry {
  return entry.kind === 'act' && entry.act !== undefined;
}
