import { isDeepStrictEqual } from 'node:util';
import { chinaDay, type DayCounts, type InsightsRecorder } from '../../../bot/desk/insights';
import { until } from '../until';
import { twoInstances, type Backend } from './backend';

const DAY = 86_400_000;

/** How many days the recorders under contract are made to keep. */
export const INSIGHTS_CONTRACT = { keepDays: 30 };

/**
 * What every InsightsRecorder promises (bot/desk/insights.ts), whatever keeps it: what any
 * instance records is read by every instance, added up by China-time day, and a day past the
 * kept ones is not kept. A recorder may write later than `record` returns (through the
 * records' outbox): reads are awaited until they hold.
 */
export function insightsContract(makeBackend: () => Backend<InsightsRecorder>): void {
  let backend: Backend<InsightsRecorder>;
  beforeEach(() => {
    backend = makeBackend();
    // Redis expires a day's counters by its own clock: the test clock starts at the real now.
    backend.clock.ms = Date.now();
  });

  const readsAs = async (recorder: InsightsRecorder, dates: string[], expected: DayCounts[]) => {
    let last: unknown;
    await until(async () => {
      last = await recorder.read(dates);
      return isDeepStrictEqual(last, expected);
    }).catch(() => expect(last).toEqual(expected));
  };

  test('what two instances record adds up on the day it happened, read in the order asked; a day without any reads {}', async () => {
    const [a, b] = await twoInstances(backend);
    const now = backend.clock.now();
    const today = chinaDay(now);
    const yesterday = chinaDay(now - DAY);
    await a.record({ kind: 'conversation' }, now);
    await b.record({ kind: 'conversation' }, now);
    await a.record({ kind: 'fallback' }, now);
    await b.record({ kind: 'handoff', reason: 'complaint' }, now);
    await a.record({ kind: 'csat', rating: 4 }, now);
    await b.record({ kind: 'csat', rating: 5 }, now);
    await b.record({ kind: 'vote', vote: 'down' }, now - DAY);
    const quiet = chinaDay(now - 2 * DAY);
    const expected: DayCounts[] = [{ conversations: 2, fallbacks: 1, 'handoff:complaint': 1, csatCount: 2, csatSum: 9 }, {}, { thumbsDown: 1 }];
    await readsAs(a, [today, quiet, yesterday], expected);
    expect(await b.read([today])).toEqual([expected[0]]);
    expect(await b.read([quiet])).toEqual([{}]);
    expect(await b.read([])).toEqual([]);
  });

  test(`a day before the ${INSIGHTS_CONTRACT.keepDays} kept is not counted; the oldest kept day is`, async () => {
    const [a, b] = await twoInstances(backend);
    const now = backend.clock.now();
    const tooOld = now - (INSIGHTS_CONTRACT.keepDays + 1) * DAY;
    const oldestKept = now - (INSIGHTS_CONTRACT.keepDays - 1) * DAY;
    await a.record({ kind: 'conversation' }, tooOld);
    await a.record({ kind: 'conversation' }, oldestKept);
    await a.record({ kind: 'question' }, now);
    // Written in the order recorded: once today's is read, the old day's would be there too.
    await readsAs(b, [chinaDay(now), chinaDay(oldestKept)], [{ questions: 1 }, { conversations: 1 }]);
    expect(await b.read([chinaDay(tooOld)])).toEqual([{}]);
  });
}
