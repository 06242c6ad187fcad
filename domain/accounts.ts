import { z } from 'zod';

/**
 * What the guided flows need from the platform's account system, as one port. The demo
 * directory and the HTTP adapter implement it; the flows see nothing else.
 */

export const mainlandMobileSchema = z.string().regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number (11 digits, 1[3-9]…)');

export const lockReasonSchema = z.enum(['wrong_password', 'inactive', 'security_alert']);
export const closureReasonSchema = z.enum(['identity_failed', 'security', 'violation']);
export type LockReason = z.infer<typeof lockReasonSchema>;
export type ClosureReason = z.infer<typeof closureReasonSchema>;

export const accountSchema = z.discriminatedUnion('status', [
  z.object({ id: z.string().min(1), phone: mainlandMobileSchema, name: z.string(), status: z.literal('active') }),
  z.object({ id: z.string().min(1), phone: mainlandMobileSchema, name: z.string(), status: z.literal('locked'), lockReason: lockReasonSchema }),
  z.object({ id: z.string().min(1), phone: mainlandMobileSchema, name: z.string(), status: z.literal('closed'), closureReason: closureReasonSchema }),
]);
export type Account = z.infer<typeof accountSchema>;

export const caseIdSchema = z.string().regex(/^AP-\d{8}-[0-9A-Z]{4}$/, 'must look like AP-20261122-7K3Q');

export const caseEventSchema = z.object({ at: z.string(), status: z.enum(['received', 'in_review', 'approved', 'rejected']), note: z.string() });

export const appealCaseSchema = z.object({
  id: caseIdSchema,
  accountId: z.string(),
  status: z.enum(['received', 'in_review', 'approved', 'rejected']),
  createdAt: z.string(),
  answerBy: z.string(),
  explanation: z.string(),
  attachments: z.array(z.object({ name: z.string(), contentType: z.string(), url: z.string() })),
  history: z.array(caseEventSchema),
});
export type AppealCase = z.infer<typeof appealCaseSchema>;

export interface NewAppeal {
  explanation: string;
  attachments: AppealCase['attachments'];
}

export interface AccountPort {
  findByPhone(phone: string): Promise<Account | undefined>;
  unlock(accountId: string): Promise<Account>;
  /** A single-use link where the user sets a new password; the bot sends it by SMS. */
  createPasswordResetLink(accountId: string): Promise<{ url: string; expiresAt: string }>;
  isPhoneFree(phone: string): Promise<boolean>;
  changePhone(accountId: string, newPhone: string): Promise<Account>;
  createAppeal(accountId: string, appeal: NewAppeal): Promise<AppealCase>;
  getCase(caseId: string): Promise<AppealCase | undefined>;
  casesOf(accountId: string): Promise<AppealCase[]>;
}

/** The one error the flows handle from any account backend: say sorry, offer a person. */
export class AccountBackendError extends Error {
  override readonly name = 'AccountBackendError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
