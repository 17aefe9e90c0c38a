// Every arm of every reproduction experiment is a valid training config, and each check reads
// its metrics by arm label.
import { describe, expect, it } from 'vitest';
import { applySets } from '../../src/cli/args.js';
import { EXPERIMENTS } from '../../src/cli/experiments.js';
import { configErrors, preset } from '../../src/rl/config.js';

describe('EXPERIMENTS', () => {
  for (const [name, e] of Object.entries(EXPERIMENTS)) {
    it(`${name}: arms are valid configs and the check names only its arms`, () => {
      expect(e.arms.length).toBeGreaterThanOrEqual(2);
      for (const arm of e.arms)
        expect(configErrors(applySets(preset(arm.preset), arm.sets)), arm.label).toEqual([]);
      const asked = new Set<string>();
      const sentence = e.check((arm, metric) => {
        asked.add(arm);
        expect(e.metrics.concat(e.chart)).toContain(metric);
        return 0.5;
      });
      expect(sentence.length).toBeGreaterThan(20);
      for (const a of asked) expect(e.arms.map((x) => x.label)).toContain(a);
    });
  }
});
