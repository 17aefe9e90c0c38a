// How pairs reach the critic: the data filter keeps exactly 1 correct + 1 wrong per mixed question, random
// sampling follows the accuracy p, the cache evicts FIFO and samples without replacement, lookups list names.
import { describe, expect, it } from 'vitest';
import {
  CRITIQUE_INPUTS,
  critiqueInput,
  dataFilter,
  labelRatio,
  QuestionResponseCache,
  type Rollout1,
  randomSampling,
  staticBalancedPairs,
} from '../../src/rl/critique-inputs.js';
import { Rng } from '../../src/util/rng.js';

const group = (q: number, oks: boolean[]): Rollout1[] =>
  oks.map((ok, i) => ({ questionId: q, responseId: i, ok }));
const T = true;
const F = false;

describe('data filter', () => {
  const groups = [
    group(0, [T, F, F, T, F]),
    group(1, [T, T, T]),
    group(2, [F, F]),
    group(3, [F, T]),
    group(4, []),
  ];

  it('keeps one correct and one wrong pair per question with both outcomes, none otherwise', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const [pairs, m] = dataFilter(groups, new Rng(seed));
      expect(pairs.map((x) => [x.questionId, x.ok])).toEqual([
        [0, T],
        [0, F],
        [3, T],
        [3, F],
      ]);
      expect(m).toMatchObject({
        'filter/kept_questions': 2,
        'filter/dropped_all_correct': 1,
        'filter/dropped_all_wrong': 1,
        'filter/dropped_empty': 1,
        'filter/pairs': 4,
        'critic/label_ratio': 0.5,
      });
    }
  });

  it('picks among the candidates at random', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 50; seed++)
      for (const x of dataFilter([groups[0] as Rollout1[]], new Rng(seed))[0]) seen.add(x.responseId);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('static balanced pairs are the filter run once, metrics under static/', () => {
    const [pairs, m] = staticBalancedPairs(groups, new Rng(3));
    expect(pairs).toEqual(dataFilter(groups, new Rng(3))[0]);
    expect(m['static/kept_questions']).toBe(2);
    expect(m['static/dropped_all_correct']).toBe(1);
    expect(m['critic/label_ratio']).toBe(0.5);
  });
});

describe('random sampling', () => {
  it('draws distinct responses, capped at the pool size', () => {
    const groups = [group(0, [T, F, F]), group(1, [F, F])];
    const [pairs, m] = randomSampling(groups, 4, new Rng(1));
    expect(pairs).toHaveLength(4);
    expect(new Set(pairs).size).toBe(4);
    expect(randomSampling(groups, 10, new Rng(1))[0]).toHaveLength(5);
    expect(m['random/pool']).toBe(5);
    expect(m['random/pool_label_ratio']).toBeCloseTo(0.2, 12);
  });

  it('has label ratio ≈ p over many draws (no balance)', () => {
    const rng = new Rng(11);
    for (const p of [0.1, 0.45]) {
      let pos = 0;
      let n = 0;
      for (let step = 0; step < 2000; step++) {
        const groups = Array.from({ length: 8 }, (_, q) =>
          group(
            q,
            Array.from({ length: 5 }, () => rng.next() < p),
          ),
        );
        const [pairs, m] = randomSampling(groups, 16, rng);
        pos += (m['critic/label_ratio'] as number) * pairs.length;
        n += pairs.length;
      }
      expect(Math.abs(pos / n - p)).toBeLessThan(0.01);
    }
  });
});

describe('question–response cache', () => {
  const items = group(0, [T, F, T, F, F]);

  it('evicts the oldest first', () => {
    const c = new QuestionResponseCache<Rollout1>(3);
    expect(c.add(items.slice(0, 2))).toBe(0);
    expect(c.add(items.slice(2))).toBe(2);
    expect(c.size).toBe(3);
    expect(c.contents().map((x) => x.responseId)).toEqual([2, 3, 4]);
    expect(c.labelRatio).toBeCloseTo(1 / 3, 12);
    expect(() => new QuestionResponseCache(0)).toThrow(/capacity/);
  });

  it('samples uniformly without replacement while it can', () => {
    const c = new QuestionResponseCache<Rollout1>(10);
    c.add(items);
    const counts = [0, 0, 0, 0, 0];
    const rng = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const [s, m] = c.sample(3, rng);
      expect(new Set(s.map((x) => x.responseId)).size).toBe(3);
      expect(m['cache/replaced']).toBe(0);
      for (const x of s) counts[x.responseId] = (counts[x.responseId] as number) + 1;
    }
    for (const k of counts) expect(Math.abs(k / 2000 - 3 / 5)).toBeLessThan(0.05);
    const [all, m] = c.sample(7, rng);
    expect(all).toHaveLength(7);
    expect(new Set(all.slice(0, 5)).size).toBe(5);
    expect(m['cache/replaced']).toBe(2);
    expect(c.size).toBe(5); // sampling does not remove
  });

  it("'recent' gives the newest pairs, newest first; an empty cache gives none", () => {
    const c = new QuestionResponseCache<Rollout1>(4);
    c.add(items);
    expect(c.sample(2, new Rng(1), 'recent')[0].map((x) => x.responseId)).toEqual([4, 3]);
    expect(new QuestionResponseCache<Rollout1>(4).sample(3, new Rng(1))[0]).toEqual([]);
  });
});

describe('critique input map', () => {
  it('filter is cached, random is not, randomReweight asks for Eq. 3', () => {
    expect(CRITIQUE_INPUTS.filter).toMatchObject({ cached: true, weighted: false });
    expect(CRITIQUE_INPUTS.random).toMatchObject({ cached: false, weighted: false });
    expect(critiqueInput('randomReweight')).toMatchObject({ cached: false, weighted: true });
    const groups = [group(0, [T, F, F]), group(1, [F, F])];
    expect(critiqueInput('filter').select(groups, 99, new Rng(2))[0]).toHaveLength(2);
    expect(labelRatio(critiqueInput('random').select(groups, 5, new Rng(2))[0])).toBeCloseTo(0.2, 12);
  });

  it('lookup error lists the valid names', () => {
    expect(() => critiqueInput('balanced')).toThrow(/filter, random, randomReweight/);
  });
});
