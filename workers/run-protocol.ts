// The typed message protocol between the page and a run worker (one worker per training run).
import type { BackendName, Capabilities } from '../src/engine/runtime.js';
import type { TrainConfig } from '../src/rl/config.js';
import type { Metrics } from '../src/rl/rewards.js';
import type { RunStatus } from '../src/rl/run-controller.js';
import type { StepSamples } from '../src/rl/trainer.js';

/** Where the base checkpoint comes from: a served folder, or bundle bytes (IndexedDB, a file). */
export type BaseSource = { url: string } | { bundle: Uint8Array; name: string };

export type RunRequest =
  | { type: 'init'; backend: BackendName | 'auto'; wasmPaths: string }
  | { type: 'create'; config: TrainConfig; base: BaseSource }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'checkpoint'; label: string }; // the weights between steps, named `<label>-step<N>`

export interface CreatedRun {
  parameters: number;
  task: TrainConfig['task'];
}

/** A weights snapshot: the bundle, the number of steps its weights have taken, and its name. */
export interface Snapshot {
  name: string;
  step: number;
  bytes: Uint8Array; // a single-file checkpoint bundle (packCheckpoint)
}

/** A snapshot's name: the run's label and the step its weights are from (`demo-step35`). */
export const checkpointName = (label: string, step: number): string => `${label}-step${step}`;

export interface RunResults {
  init: Capabilities;
  create: CreatedRun;
  start: null;
  pause: null;
  step: null;
  stop: null;
  checkpoint: Snapshot;
}

export type RunEvent =
  | { type: 'rows'; rows: Metrics[] }
  | { type: 'samples'; samples: StepSamples }
  | { type: 'status'; status: RunStatus; step: number; error?: string };

/** Page -> worker: `{ id, ...RunRequest }` (workers/serve.ts). Worker -> page: a reply or a run event. */
export type FromRunWorker =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; error: { name: string; message: string } }
  | { kind: 'event'; event: RunEvent };
