// `gcrl train`: runs a preset (with --set overrides) through the page's step loop (RunController) and
// streams one JSON line of metrics per step; a non-finite loss stops the run with a clear message and
// everything logged so far kept.
import { appendFileSync, writeFileSync } from 'node:fs';
import { loadCheckpointDir } from '../checkpoint/node-fs.js';
import type { Runtime } from '../engine/runtime.js';
import { preset, type TrainConfig } from '../rl/config.js';
import { RunFailure, runHeadless } from '../rl/run-controller.js';
import { GcrlTrainer } from '../rl/trainer.js';
import { applySets, progress } from './args.js';

export interface TrainRequest {
  preset: string;
  sets: string[];
  seed?: number;
  steps?: number;
  base?: string;
  out?: string; // JSON lines file; stdout when absent
}

export function trainConfig(r: TrainRequest): TrainConfig {
  const c = applySets(preset(r.preset), r.sets);
  if (r.seed !== undefined) c.seed = r.seed;
  if (r.steps !== undefined) c.steps = r.steps;
  if (r.base !== undefined) c.base = r.base;
  return c;
}

export async function trainCommand(rt: Runtime, r: TrainRequest): Promise<void> {
  const cfg = trainConfig(r);
  const trainer = await GcrlTrainer.create(rt, cfg, await loadCheckpointDir(cfg.base));
  const emit = (line: object) => {
    const text = `${JSON.stringify(line)}\n`;
    if (r.out) appendFileSync(r.out, text);
    else process.stdout.write(text);
  };
  if (r.out) writeFileSync(r.out, '');
  try {
    await runHeadless(trainer, (m) => {
      if (m.step === 0) {
        emit({ ...m, config: cfg });
        return;
      }
      emit(m);
      const f = (k: string) => (m[k] === undefined ? '–' : (m[k] as number).toFixed(3));
      progress(
        m.step as number,
        cfg.steps,
        `gen ${f('gen/acc')} critic ${f('critic/acc')} ${f('time/step')} s/step`,
      );
    });
  } catch (e) {
    if (!(e instanceof RunFailure)) throw e;
    throw new Error(`${e.message}${r.out ? ` (steps 0–${e.step - 1} are in ${r.out})` : ''}`);
  } finally {
    trainer.dispose();
  }
}
