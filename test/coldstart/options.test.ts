// Cold-start options are checked against their schema before anything is built: negative learning
// rates and shares, absurd model sizes and tasks that do not fit the context are refused, all listed.
import { describe, expect, it } from 'vitest';
import {
  COLDSTART_DEFAULTS,
  COLDSTART_SETTINGS,
  type ColdStartOptions,
  coldStartErrors,
  formatLengths,
  runColdStart,
} from '../../src/coldstart/run.js';
import type { Runtime } from '../../src/engine/runtime.js';
import { applyOverrides } from '../../src/util/schema.js';

const withSets = (sets: string[]): ColdStartOptions => {
  const [o, errs] = applyOverrides(COLDSTART_SETTINGS, COLDSTART_DEFAULTS, sets);
  expect(errs).toEqual([]);
  return o;
};

describe('coldStartErrors', () => {
  it('accepts the defaults (the recipe of the shipped checkpoints)', () => {
    expect(coldStartErrors(COLDSTART_DEFAULTS)).toEqual([]);
  });

  it('refuses lr=-5 and mix.critique=-1 and absurd sizes, every problem listed', () => {
    const [, errs] = applyOverrides(COLDSTART_SETTINGS, COLDSTART_DEFAULTS, [
      'lr=-5',
      'mix.critique=-1',
      'model.nLayer=100000000',
      'batch=1e6',
      'steps=1.5',
    ]);
    expect(errs).toEqual([
      '--set lr=-5: lr must be a number in [0, 1] (got -5)',
      '--set mix.critique=-1: mix.critique must be a number in [0, 1] (got -1)',
      '--set model.nLayer=100000000: model.nLayer must be an integer in [1, 48] (got 100000000)',
      '--set batch=1e6: batch must be an integer in [1, 1024] (got 1000000)',
      '--set steps=1.5: steps must be an integer in [0, 100000] (got 1.5)',
    ]);
    const direct = {
      ...structuredClone(COLDSTART_DEFAULTS),
      lr: -5,
      mix: { generation: 0, critique: -1, refinement: 0 },
    };
    expect(coldStartErrors(direct)).toEqual([
      'mix.critique must be a number in [0, 1] (got -1)',
      'lr must be a number in [0, 1] (got -5)',
    ]);
  });

  it('cross-checks heads, the parameter budget, the mix, the schedule and the context', () => {
    expect(coldStartErrors(withSets(['model.nHead=3']))).toEqual([
      'model: dModel (64) must be divisible by nHead (3)',
    ]);
    expect(
      coldStartErrors(withSets(['model.nLayer=48', 'model.dModel=2048', 'model.dMlp=8192'])).join(),
    ).toMatch(/parameters \(at most 50,000,000\)/);
    expect(coldStartErrors(withSets(['mix.generation=0', 'mix.critique=0', 'mix.refinement=0']))).toEqual([
      'mix: at least one share must be positive',
    ]);
    expect(coldStartErrors(withSets(['scheduleSteps=100']))).toEqual([
      'scheduleSteps (100) must be 0 or ≥ steps (1200)',
    ]);
    expect(formatLengths('add', 3).refinement).toBe(31);
    expect(coldStartErrors(withSets(['task.digits=3']))).toEqual([]);
    expect(coldStartErrors(withSets(['task.digits=4']))).toEqual([
      "task.digits 4 needs 37 tokens for a refinement of add, more than the model's context of 32",
    ]);
    expect(coldStartErrors(withSets(['task.digits=4', 'mix.refinement=0']))).toEqual([]);
  });

  it('runColdStart refuses bad options before touching the runtime', async () => {
    const untouchable = new Proxy({} as Runtime, {
      get: () => {
        throw new Error('the runtime was used');
      },
    });
    await expect(runColdStart(untouchable, { ...COLDSTART_DEFAULTS, lr: -5 })).rejects.toThrow(
      /invalid cold-start options:\n {2}lr must be a number in \[0, 1\] \(got -5\)/,
    );
  });
});
