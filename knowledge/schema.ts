import { z } from 'zod';
import { localeSchema } from '../domain/locale';
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

const phrase = z.string().trim().min(2, 'must be at least 2 characters').max(200, 'must be at most 200 characters');

/**
 * `faq` entries are answered. `out-of-scope` entries are negative examples: phrasings that
 * look like ours but are about something else; a message closest to one of them falls back.
 */
export const entryKindSchema = z.enum(['faq', 'out-of-scope']);

export const kbEntrySchema = z
  .object({
    id: entryId,
    kind: entryKindSchema.default('faq'),
    locale: localeSchema,
    question: phrase,
    alternates: z.array(phrase).min(1, 'must list at least one alternate phrasing'),
    answer: z.string().trim().min(1, 'must not be empty').max(1200, 'must be at most 1200 characters: one chat bubble').optional(),
    tags: z.array(z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase ascii')).default([]),
    followUps: z.array(entryId).max(5, 'must list at most 5 ids').optional(),
    action: entryActionSchema.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.kind === 'faq' && entry.answer === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: 'is required for an FAQ entry' });
    }
    for (const name of unknownPlaceholders(entry.answer ?? '')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['answer'],
        message: `{${name}} is not a placeholder (known: ${ANSWER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      });
    }
  });

export type KbEntry = z.infer<typeof kbEntrySchema>;

export const kbFileSchema = z.array(z.unknown(), { invalid_type_error: 'a knowledge file must be a YAML list of entries' });

/** An entry the bot answers with. */
export type FaqEntry = KbEntry & { kind: 'faq'; answer: string };

export function isFaq(entry: KbEntry): entry is FaqEntry {
  return entry.kind === 'faq' && entry.answer !== undefined;
}
