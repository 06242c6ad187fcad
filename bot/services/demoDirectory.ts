import crypto from 'node:crypto';
import { AccountBackendError, type Account, type AccountPort, type AppealCase, type NewAppeal } from './accounts';

/** The demo accounts of shared/demo-accounts.md: the embedded default account system. */
const SEED: Account[] = [
  { id: 'demo-0001', phone: '13800000001', name: '张三', status: 'active' },
  { id: 'demo-0002', phone: '13800000002', name: '李四', status: 'locked', lockReason: 'wrong_password' },
  { id: 'demo-0003', phone: '13800000003', name: '王五', status: 'locked', lockReason: 'inactive' },
  { id: 'demo-0004', phone: '13800000004', name: '赵六', status: 'locked', lockReason: 'security_alert' },
  { id: 'demo-0005', phone: '13800000005', name: '钱七', status: 'closed', closureReason: 'identity_failed' },
  { id: 'demo-0006', phone: '13800000006', name: '孙八', status: 'closed', closureReason: 'security' },
  { id: 'demo-0007', phone: '13800000007', name: '周九', status: 'closed', closureReason: 'violation' },
  { id: 'demo-0008', phone: '13800000008', name: '吴十', status: 'active' },
];

/** ID-card last 4 digits, kept beside the accounts: never shown, only for agents later. */
export const DEMO_ID_LAST4: Record<string, string> = {
  'demo-0001': '1234', 'demo-0002': '2345', 'demo-0003': '3456', 'demo-0004': '4567',
  'demo-0005': '5678', 'demo-0006': '6789', 'demo-0007': '7890', 'demo-0008': '8901',
};

const CASE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Promised answer time: N business days (Mon–Fri) after `from`, in China time. */
export function addBusinessDays(from: Date, days: number): Date {
  const date = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = new Date(date.getTime() + 8 * 3600_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date;
}

/** A case number people can read out on the phone: AP-20261123-7K3Q (tickets use T-). */
export function newCaseId(now: Date, prefix = 'AP'): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const suffix = Array.from(crypto.randomBytes(4), (b) => CASE_ALPHABET[b % CASE_ALPHABET.length]).join('');
  return `${prefix}-${day}-${suffix}`;
}

export class DemoDirectory implements AccountPort {
  private accounts = new Map<string, Account>();
  private cases = new Map<string, AppealCase>();

  constructor(private readonly now: () => Date = () => new Date()) {
    this.reset();
  }

  /** Back to the seed: accounts as listed, no cases. */
  reset(): void {
    this.accounts = new Map(SEED.map((a) => [a.id, structuredClone(a)]));
    this.cases = new Map();
  }

  private byId(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw new AccountBackendError(`no account ${accountId}`, 404);
    return account;
  }

  async findByPhone(phone: string): Promise<Account | undefined> {
    const account = [...this.accounts.values()].find((a) => a.phone === phone);
    return account && structuredClone(account);
  }

  async unlock(accountId: string): Promise<Account> {
    const account = this.byId(accountId);
    if (account.status !== 'locked') throw new AccountBackendError(`account ${accountId} is ${account.status}, not locked`, 409);
    const unlocked: Account = { id: account.id, phone: account.phone, name: account.name, status: 'active' };
    this.accounts.set(accountId, unlocked);
    return structuredClone(unlocked);
  }

  async createPasswordResetLink(accountId: string): Promise<{ url: string; expiresAt: string }> {
    this.byId(accountId);
    const expiresAt = new Date(this.now().getTime() + 30 * 60_000).toISOString();
    return { url: `https://wallet.example.com/reset-password?t=${crypto.randomBytes(18).toString('base64url')}`, expiresAt };
  }

  async isPhoneFree(phone: string): Promise<boolean> {
    return !(await this.findByPhone(phone));
  }

  async changePhone(accountId: string, newPhone: string): Promise<Account> {
    const account = this.byId(accountId);
    if (!(await this.isPhoneFree(newPhone))) throw new AccountBackendError(`number is bound to another account`, 409);
    const changed = { ...account, phone: newPhone };
    this.accounts.set(accountId, changed);
    return structuredClone(changed);
  }

  async createAppeal(accountId: string, appeal: NewAppeal): Promise<AppealCase> {
    const account = this.byId(accountId);
    if (account.status !== 'closed') throw new AccountBackendError(`account ${accountId} is not closed`, 409);
    const now = this.now();
    let id = newCaseId(now);
    while (this.cases.has(id)) id = newCaseId(now);
    const created: AppealCase = {
      id,
      accountId,
      status: 'received',
      createdAt: now.toISOString(),
      answerBy: addBusinessDays(now, 3).toISOString(),
      explanation: appeal.explanation,
      attachments: appeal.attachments,
      history: [{ at: now.toISOString(), status: 'received', note: '申诉已受理' }],
    };
    this.cases.set(id, created);
    return structuredClone(created);
  }

  async getCase(caseId: string): Promise<AppealCase | undefined> {
    const found = this.cases.get(caseId);
    return found && structuredClone(found);
  }

  async casesOf(accountId: string): Promise<AppealCase[]> {
    return [...this.cases.values()].filter((c) => c.accountId === accountId).map((c) => structuredClone(c));
  }
}
