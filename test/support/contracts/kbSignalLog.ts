import type { KbSignalLog, StoredKbSignal } from '../../../bot/storage/kbSignalLog';
import { until } from '../until';
import { twoInstances, type Backend } from './backend';

/** How many signals the logs under contract are made to keep (a log bounded by bytes instead says `undefined`). */
export const SIGNALS_CONTRACT = { kept: 5 };

/**
 * What every KbSignalLog promises (bot/storage/kbSignalLog.ts), whatever keeps it: signals
 * appended on any instance are listed by every one, oldest first, the question masked, the
 * conversation as given; a log kept by count lists only its newest. A log may write later
 * than `append` returns (through the records' outbox): lists are awaited until complete.
 */
export function kbSignalLogContract(makeBackend: () => Backend<KbSignalLog>, bound: { kept?: number } = SIGNALS_CONTRACT): void {
  let backend: Backend<KbSignalLog>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const listed = async (log: KbSignalLog, count: number): Promise<StoredKbSignal[]> => {
    let signals: StoredKbSignal[] = [];
    await until(async () => (signals = await log.list()).length >= count);
    return signals;
  };

  test('signals from two instances are listed by either, oldest first, the number in a question masked', async () => {
    const [a, b] = await twoInstances(backend);
    const before = Date.now();
    await a.append({ kind: 'unanswered', question: '我的号码 13800138000 收不到验证码', locale: 'zh-CN' }, 'c-hash-1');
    await b.append({ kind: 'feedback', vote: 'down', entryId: 'forgot-password', question: '忘记密码怎么办', locale: 'zh-CN' }, 'c-hash-2');
    await a.append({ kind: 'unanswered', question: 'How do I close my account?', locale: 'en-US' }, 'c-hash-1');
    const signals = await listed(b, 3);
    expect(signals.map(({ at: _at, ...rest }) => rest)).toEqual([
      { kind: 'unanswered', question: '我的号码 138****8000 收不到验证码', locale: 'zh-CN', conversation: 'c-hash-1' },
      { kind: 'feedback', vote: 'down', entryId: 'forgot-password', question: '忘记密码怎么办', locale: 'zh-CN', conversation: 'c-hash-2' },
      { kind: 'unanswered', question: 'How do I close my account?', locale: 'en-US', conversation: 'c-hash-1' },
    ]);
    for (const signal of signals) expect(Date.parse(signal.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(await a.list())).not.toContain('13800138000');
  });

  const kept = bound.kept;
  if (kept !== undefined) {
    test(`only the newest ${kept} signals are listed`, async () => {
      const store = await backend.instance();
      for (let i = 0; i < kept + 3; i++) await store.append({ kind: 'unanswered', question: `问题 ${i}`, locale: 'zh-CN' }, 'c-hash');
      await until(async () => (await store.list()).at(-1)?.question === `问题 ${kept + 2}`);
      expect((await store.list()).map((s) => s.question)).toEqual(Array.from({ length: kept }, (_, i) => `问题 ${i + 3}`));
    });
  }
}
