import crypto from 'node:crypto';
import { AccountBackendError, type Account, type AccountPort, type AppealCase, type NewAppeal } from '../../domain/accounts';
import { newCaseId } from '../../domain/caseId';

/** The demo accounts (README's table, which test/bot/accounts.test.ts checks): the embedded default account system. */
export const DEMO_ACCOUNTS: readonly Account[] = [
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

/** Where the demo directory keeps its accounts and cases: memory, or Redis for several instances. */
export interface DirectoryData {
  /** Puts the seed in place: always when `force`, else only where nothing is stored yet. */
  seed(accounts: readonly Account[], force: boolean): Promise<void>;
  accounts(): Promise<Account[]>;
  account(id: string): Promise<Account | undefined>;
  /**
   * Compare-and-set: stores `next` only while the account is still exactly `expected` and,
   * when the number changes, no account has the new one. False when it did not.
   */
  replaceAccount(expected: Account, next: Account): Promise<boolean>;
  /** False when a case with this id exists already. */
  addCase(appeal: AppealCase): Promise<boolean>;
  case(id: string): Promise<AppealCase | undefined>;
  cases(): Promise<AppealCase[]>;
}

export class MemoryDirectoryData implements DirectoryData {
  private accountsById = new Map<string, Account>();
  private casesById = new Map<string, AppealCase>();

  async seed(accounts: readonly Account[], force: boolean) {
    if (!force && this.accountsById.size > 0) return;
    this.accountsById = new Map(accounts.map((a) => [a.id, structuredClone(a)]));
    this.casesById = new Map();
  }

  async accounts() {
    return [...this.accountsById.values()].map((a) => structuredClone(a));
  }

  async account(id: string) {
    const found = this.accountsById.get(id);
    return found && structuredClone(found);
  }

  async replaceAccount(expected: Account, next: Account) {
    const current = this.accountsById.get(expected.id);
    if (!current || JSON.stringify(current) !== JSON.stringify(expected)) return false;
    if (next.phone !== expected.phone && [...this.accountsById.values()].some((a) => a.phone === next.phone)) return false;
    this.accountsById.set(next.id, structuredClone(next));
    return true;
  }

  async addCase(appeal: AppealCase) {
    if (this.casesById.has(appeal.id)) return false;
    this.casesById.set(appeal.id, structuredClone(appeal));
    return true;
  }

  async case(id: string) {
    const found = this.casesById.get(id);
    return found && structuredClone(found);
  }

  async cases() {
    return [...this.casesById.values()].map((c) => structuredClone(c));
  }
}

export class DemoDirectory implements AccountPort {
  private seeding: Promise<void> | undefined;

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly data: DirectoryData = new MemoryDirectoryData(),
  ) {}

  /**
   * Seeds on first use, not at construction: the shared store may be down when the bot
   * starts, and a failed seed is tried again by the next request instead of being kept.
   * Another instance may have seeded (and changed) the shared directory already.
   */
  private get seeded(): Promise<void> {
    this.seeding ??= this.data.seed(DEMO_ACCOUNTS, false).catch((error: unknown) => {
      this.seeding = undefined;
      throw error;
    });
    return this.seeding;
  }

  /** Back to the seed: accounts as listed, no cases. */
  async reset(): Promise<void> {
    await this.data.seed(DEMO_ACCOUNTS, true);
  }

  private async byId(accountId: string): Promise<Account> {
    await this.seeded;
    const account = await this.data.account(accountId);
    if (!account) throw new AccountBackendError(`no account ${accountId}`, 404);
    return account;
  }

  async findByPhone(phone: string): Promise<Account | undefined> {
    await this.seeded;
    return (await this.data.accounts()).find((a) => a.phone === phone);
  }

  /**
   * Read, decide, compare-and-set: when another request changed the account in between
   * (two unlocks at once, two accounts taking one number), the decision is made again on
   * what is stored now, so the second one is refused instead of overwriting the first.
   */
  private async update(accountId: string, change: (account: Account) => Promise<Account>): Promise<Account> {
    for (let attempt = 1; ; attempt++) {
      const account = await this.byId(accountId);
      const next = await change(account);
      if (await this.data.replaceAccount(account, next)) return next;
      if (attempt === 5) throw new AccountBackendError(`account ${accountId} kept changing`, 409);
    }
  }

  async unlock(accountId: string): Promise<Account> {
    return this.update(accountId, async (account) => {
      if (account.status !== 'locked') throw new AccountBackendError(`account ${accountId} is ${account.status}, not locked`, 409);
      return { id: account.id, phone: account.phone, name: account.name, status: 'active' };
    });
  }

  async createPasswordResetLink(accountId: string): Promise<{ url: string; expiresAt: string }> {
    await this.byId(accountId);
    const expiresAt = new Date(this.now().getTime() + 30 * 60_000).toISOString();
    return { url: `https://wallet.example.com/reset-password?t=${crypto.randomBytes(18).toString('base64url')}`, expiresAt };
  }

  async isPhoneFree(phone: string): Promise<boolean> {
    return !(await this.findByPhone(phone));
  }

  async changePhone(accountId: string, newPhone: string): Promise<Account> {
    return this.update(accountId, async (account) => {
      if (!(await this.isPhoneFree(newPhone))) throw new AccountBackendError(`number is bound to another account`, 409);
      return { ...account, phone: newPhone };
    });
  }

  async createAppeal(accountId: string, appeal: NewAppeal): Promise<AppealCase> {
    const account = await this.byId(accountId);
    if (account.status !== 'closed') throw new AccountBackendError(`account ${accountId} is not closed`, 409);
    const now = this.now();
    for (;;) {
      const created: AppealCase = {
        id: newCaseId(now),
        accountId,
        status: 'received',
        createdAt: now.toISOString(),
        answerBy: addBusinessDays(now, 3).toISOString(),
        explanation: appeal.explanation,
        attachments: appeal.attachments,
        history: [{ at: now.toISOString(), status: 'received', note: '申诉已受理' }],
      };
      if (await this.data.addCase(created)) return created;
    }
  }

  async getCase(caseId: string): Promise<AppealCase | undefined> {
    await this.seeded;
    return this.data.case(caseId);
  }

  async casesOf(accountId: string): Promise<AppealCase[]> {
    await this.seeded;
    return (await this.data.cases()).filter((c) => c.accountId === accountId);
  }
}
