import { seededRandom } from '../../knowledge/seededRandom';
import { bracketed, median, pairedRatios, spread, turnsPerSecond, withSpread } from '../../bench/lib/stats';

describe('benchmark statistics', () => {
  test('the median is the middle value, or the mean of the middle two, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  test('ratios pair each round with its own baseline, not the runs overall', () => {
    // A busy machine in round 2 halves both bots: the paired ratio does not move.
    const kefu = [400, 200, 410];
    const echo = [800, 400, 800];
    const result = pairedRatios(kefu, echo);
    expect(result.ratios).toEqual([0.5, 0.5, 410 / 800]);
    expect(result.median).toBe(0.5);
    expect(result.min).toBe(0.5);
    expect(result.max).toBeCloseTo(0.5125);
  });

  test('one outlying round moves the range, not the median', () => {
    const result = pairedRatios([1.6, 1.5, 3.2, 1.55, 1.58], [1, 1, 1, 1, 1]);
    expect(result.median).toBe(1.58);
    expect(result).toMatchObject({ min: 1.5, max: 3.2 });
  });

  test('a round that measured nothing is left out instead of poisoning the summary', () => {
    expect(spread([2, NaN, 4, Infinity])).toEqual({ median: 3, min: 2, max: 4 });
    expect(pairedRatios([1, 2], [0, 1])).toMatchObject({ median: 2, min: 2, max: 2 });
    expect(spread([NaN])).toEqual({ median: NaN, min: NaN, max: NaN });
    expect(withSpread(spread([]))).toBe('—');
  });

  test('a measurement between two baseline runs is compared with their mean, so a steady drift cancels out', () => {
    // The machine gets busier run after run: echo 1000, 900, 800 turns/s; Kefu, between them, 475 and 425.
    const baseline = bracketed([1000, 900, 800]);
    expect(baseline).toEqual([950, 850]);
    expect(pairedRatios([475, 425], baseline)).toMatchObject({ median: 0.5, min: 0.5, max: 0.5 });
    expect(bracketed([3])).toEqual([]);
  });

  test('turns per second do not go in steps when conversations are answered in bursts', () => {
    // 100 conversations answered together every 500 ms (200 turns/s), seen through a window
    // that catches 3 bursts or 4 depending on where it starts: the rate is 200 either way.
    const bursts = (count: number, offset: number) => Array.from({ length: 100 }, (_, i) => Array.from({ length: count }, (__, k) => offset + k * 500 + i * 0.1));
    expect(turnsPerSecond(bursts(3, 40))).toBeCloseTo(200);
    expect(turnsPerSecond(bursts(4, 10))).toBeCloseTo(200);
    // Conversations with their own pace add up; one with a single answer has no rate.
    expect(turnsPerSecond([[0, 100, 200], [0, 1000], [500]])).toBeCloseTo(10 + 1);
    expect(turnsPerSecond([])).toBe(0);
  });

  test('unpaired samples are refused', () => {
    expect(() => pairedRatios([1, 2, 3], [1, 2])).toThrow(/as many/);
  });

  test('a median and its range read as one cell', () => {
    expect(withSpread({ median: 1.234, min: 1.1, max: 1.456 })).toBe('1.23 (1.10–1.46)');
    expect(withSpread({ median: 512.4, min: 498.6, max: 530 }, (v) => String(Math.round(v)))).toBe('512 (499–530)');
  });

  test('the seeded source repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(19)).toEqual(draw(19));
    expect(draw(19)).not.toEqual(draw(20));
    for (const value of draw(7)) expect(value >= 0 && value < 1).toBe(true);
  });
});
