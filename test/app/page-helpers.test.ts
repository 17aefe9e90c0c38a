// The page's pure helpers: bounded metric history, CSV/JSON export, legend labels, experiment arms.
import { describe, expect, it } from 'vitest';
import { pageExperiments } from '../../app/experiments/presets';
import { rowsToCsv, runToJson, slug } from '../../app/export/download';
import { differing, legendLabel } from '../../app/runs/labels';
import { PAGE_DEFAULTS } from '../../app/state/defaults';
import { appendCapped, type Row } from '../../app/state/rows';
import { configErrors } from '../../src/rl/config.js';

const steps = (n: number, from = 1): Row[] => Array.from({ length: n }, (_, i) => ({ step: from + i, x: i }));

describe('appendCapped', () => {
  it('keeps everything under the cap', () => {
    expect(appendCapped(steps(3), steps(2, 4), 10).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    // a deferred baseline: row 0 arrives after row 1 and takes its place
    expect(appendCapped([{ step: 1 }], [{ step: 0, 'eval/gen/acc': 0.2 }]).map((r) => r.step)).toEqual([
      0, 1,
    ]);
  });
  it('stays under the cap, keeps the first row, the recent half and every held-out row', () => {
    const rows = steps(100).map((r) => (r.step % 10 === 0 ? { ...r, 'eval/gen/acc': 0.5 } : r));
    const out = appendCapped([], rows, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out[0]?.step).toBe(1);
    expect(out.at(-1)?.step).toBe(100);
    expect(out.filter((r) => 'eval/gen/acc' in r)).toHaveLength(10);
    const steps2 = out.map((r) => r.step);
    expect([...steps2].sort((a, b) => a - b)).toEqual(steps2); // still in step order
    expect(steps2.slice(-30)).toEqual(Array.from({ length: 30 }, (_, i) => 71 + i));
  });
  it('gives up thinning rather than looping when only held-out rows are left', () => {
    const rows = steps(10).map((r) => ({ ...r, 'eval/x': 1 }));
    expect(appendCapped([], rows, 4)).toHaveLength(10);
  });
});

describe('exports', () => {
  it('writes CSV with step first, the union of keys, and empty cells for missing or non-finite values', () => {
    const csv = rowsToCsv([
      { step: 0, 'eval/gen/acc': 0.2 },
      { step: 1, 'gen/acc': 0.5, 'critic/acc': Number.NaN },
    ]);
    expect(csv).toBe('step,critic/acc,eval/gen/acc,gen/acc\n0,,0.2,\n1,,,0.5\n');
  });
  it('writes a run as JSON with its config and rows', () => {
    const doc = JSON.parse(runToJson({ name: 'r', config: { seed: 3 } }, [{ step: 1, 'gen/acc': 1 }]));
    expect(doc).toEqual({ name: 'r', config: { seed: 3 }, rows: [{ step: 1, 'gen/acc': 1 }] });
  });
  it('slugs names for file names', () => {
    expect(slug('Random + reweight (Eq. 3)')).toBe('random-reweight-eq-3');
    expect(slug('***')).toBe('run');
  });
});

describe('legend labels', () => {
  const a = structuredClone(PAGE_DEFAULTS);
  const b = { ...structuredClone(PAGE_DEFAULTS), seed: 2, grpo: { ...PAGE_DEFAULTS.grpo, lr: 1e-4 } };
  it('name what differs between the runs shown', () => {
    expect(differing(b, [a, b])).toEqual(['seed=2', 'lr=0.0001']);
    expect(legendLabel('mine', b, [a, b])).toBe('mine (seed=2 · lr=0.0001)');
    expect(legendLabel('mine', a, [a])).toBe('mine');
  });
});

describe('page experiments', () => {
  it('build valid configs that keep the page sizes and change what the comparison is about', () => {
    const base = { ...structuredClone(PAGE_DEFAULTS), seed: 9, steps: 40 };
    const exps = pageExperiments(base);
    expect(exps.map((e) => e.id)).toEqual([
      'label-balance',
      'reward-shaping',
      'joint-training',
      'static-vs-dynamic',
      'denoising',
    ]);
    for (const e of exps) {
      expect(e.paper).not.toBe('');
      for (const arm of e.arms) {
        expect(configErrors(arm.config)).toEqual([]);
        expect([arm.config.seed, arm.config.steps, arm.config.base]).toEqual([9, 40, 'weak']);
      }
    }
    const lb = exps[0]?.arms.map((a) => a.config.critique.input);
    expect(lb).toEqual(['filter', 'randomReweight', 'random']);
  });
});
