import { z } from 'zod';
import { AccountBackendError, accountSchema, appealCaseSchema, type Account, type AccountPort, type AppealCase, type NewAppeal } from '../../domain/accounts';

/**
 * The production account port: the platform's account API over HTTPS with an API key.
 * Every response is validated; timeouts, network failures, unexpected statuses and
 * malformed bodies all become one AccountBackendError.
 */
export interface HttpAccountsOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const resetLinkSchema = z.object({ url: z.string().url(), expiresAt: z.string() });
const freeSchema = z.object({ free: z.boolean() });
const casesSchema = z.object({ cases: z.array(appealCaseSchema) });

export class HttpAccounts implements AccountPort {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpAccountsOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, notFoundIsEmpty = false): Promise<T | undefined> {
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (not always an Error instance).
      const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${this.options.timeoutMs} ms` : 'unreachable';
      throw new AccountBackendError(`account API ${method} ${path}: ${reason}`);
    }
    if (response.status === 404 && notFoundIsEmpty) return undefined;
    if (!response.ok) throw new AccountBackendError(`account API ${method} ${path}: HTTP ${response.status}`, response.status);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new AccountBackendError(`account API ${method} ${path}: body is not JSON`, response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AccountBackendError(`account API ${method} ${path}: unexpected response (${issue?.path.join('.') || 'body'}: ${issue?.message ?? ''})`, response.status);
    }
    return parsed.data;
  }

  private async required<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    return (await this.call(method, path, schema, body)) as T;
  }

  findByPhone(phone: string): Promise<Account | undefined> {
    return this.call('GET', `accounts/by-phone/${encodeURIComponent(phone)}`, accountSchema, undefined, true);
  }

  unlock(accountId: string): Promise<Account> {
    return this.required('POST', `accounts/${encodeURIComponent(accountId)}/unlock`, accountSchema, {});
  }

  createPasswordResetLink(accountId: string): Promise<{ url: string; expiresAt: string }> {
    return this.required('POST', `accounts/${encodeURIComponent(accountId)}/password-reset-links`, resetLinkSchema, {});
  }

  async isPhoneFree(phone: string): Promise<boolean> {
    return (await this.required('GET', `phones/${encodeURIComponent(phone)}/availability`, freeSchema)).free;
  }

  changePhone(accountId: string, newPhone: string): Promise<Account> {
    return this.required('PUT', `accounts/${encodeURIComponent(accountId)}/phone`, accountSchema, { phone: newPhone });
  }

  createAppeal(accountId: string, appeal: NewAppeal): Promise<AppealCase> {
    return this.required('POST', `accounts/${encodeURIComponent(accountId)}/appeals`, appealCaseSchema, appeal);
  }

  getCase(caseId: string): Promise<AppealCase | undefined> {
    return this.call('GET', `appeals/${encodeURIComponent(caseId)}`, appealCaseSchema, undefined, true);
  }

  async casesOf(accountId: string): Promise<AppealCase[]> {
    return (await this.required('GET', `accounts/${encodeURIComponent(accountId)}/appeals`, casesSchema)).cases;
  }
}
