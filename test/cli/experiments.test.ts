// Every arm of every reproduction experiment is a valid training config, each finding names its
// own arms and metrics, and verdicts come from the paired statistics (identical arms never reproduce).
import { describe, expect, it } from 'vitest';
import { applySets } from '../../src/cli/args.js';
import { COLLAPSE, collapsed, EXPERIMENTS, findingsTable, judge } from '../../src/cli/experiments.js';
import { configErrors, preset } from '../../src/rl/config.js';

describe('EXPERIMENTS', () => {
  for (const [name, e] of Object.entries(EXPERIMENTS)) {
    it(`${name}: arms are valid configs and the findings name only its arms and metrics`, () => {
      expect(e.arms.length).toBeGreaterThanOrEqual(2);
      for (const arm of e.arms)
        expect(configErrors(applySets(preset(arm.preset), arm.sets)), arm.label).toEqual([]);
      expect(e.findings.length).toBeGreaterThanOrEqual(1);
      const labels = e.arms.map((x) => x.label);
      for (const fd of e.findings) {
        for (const side of [fd.a, fd.b]) {
          expect(labels).toContain(side.arm);
          expect(e.metrics).toContain(side.metric);
        }
        expect(`${fd.a.arm}|${fd.a.metric}`).not.toBe(`${fd.b.arm}|${fd.b.metric}`);
      }
    });
  }

  it('the denoising experiment reports right-verdict-wrong-working, expected lower under Eq. 4', () => {
    const d = EXPERIMENTS.denoising;
    const fd = d?.findings.find((x) => x.a.metric === 'eval/critic/right_verdict_wrong_working');
    expect(fd?.direction).toBe(-1);
  });
});

describe('judge', () => {
  const e = EXPERIMENTS['joint-training'];
  if (!e) throw new Error('joint-training missing');
  it('identical arms are inconclusive; a consistent gain in the paper direction reproduces', () => {
    const same = judge(e, () => [0.3, 0.35, 0.32, 0.31, 0.34]);
    expect(same.map((r) => r.effect.verdict)).toEqual(['inconclusive', 'inconclusive']);
    const values = (arm: string, metric: string) => {
      const base = [0.3, 0.35, 0.32, 0.31, 0.34];
      if (arm === 'GC-RL' && metric === 'eval/gen/acc') return base.map((x, i) => x + 0.03 + 0.002 * i);
      if (arm === 'GC-RL') return base.map((x) => x - 0.05 + 0.001);
      return base;
    };
    const [gen, crit] = judge(e, values);
    expect(gen?.effect.verdict).toBe('reproduces');
    expect(gen?.effect.mean).toBeCloseTo(0.034, 10);
    expect(crit?.effect.verdict).toBe('opposite');
    const table = findingsTable(judge(e, values));
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(
      /^\| generation: GC-RL − G-RL \| > 0 \| \+3\.4 \[\+\d\.\d, \+\d\.\d\] \| 5 \| \*\*reproduces\*\* \|$/,
    );
  });
});

describe('collapsed (§5.3, thresholds fixed in advance)', () => {
  const first = { 'eval/gen/acc': 0.2 };
  it('needs all three: β ≥ 0.9, α ≤ 0.1 and generation down ≥ 5 points', () => {
    const last = {
      'eval/gen/acc': 0.2 - COLLAPSE.genDrop,
      'eval/critic/beta': 0.95,
      'eval/critic/alpha': 0.05,
    };
    expect(collapsed(first, last)).toBe(true);
    expect(collapsed(first, { ...last, 'eval/gen/acc': 0.19 })).toBe(false);
    expect(collapsed(first, { ...last, 'eval/critic/alpha': 0.2 })).toBe(false);
    expect(collapsed(first, { ...last, 'eval/critic/beta': 0.85 })).toBe(false);
    expect(collapsed(first, {})).toBe(false);
  });
});
