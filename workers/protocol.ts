// The typed message protocol between the page and the engine worker.

import type { ColdStartOptions, ColdStartStep, TaskConfig } from '../src/coldstart/run.js';
import type { BackendChoice } from '../src/engine/backend-choice.js';
import type { HostTensor } from '../src/engine/dtype.js';
import type { BackendName, Capabilities, Placement } from '../src/engine/runtime.js';
import type { ShowcaseRow } from '../src/eval/showcase.js';
import type { GptConfig } from '../src/model/gpt.js';
import type { ToyStepReport, ToyTrainOptions, ToyTrainResult } from '../src/toy/train.js';

export type EngineRequest =
  /** `calibrationUrl`: the checkpoint `auto` times on both backends when the adapter is a hardware GPU. */
  | { type: 'init'; backend: BackendName | 'auto'; wasmPaths: string; calibrationUrl?: string }
  | { type: 'run'; model: Uint8Array; feeds: Record<string, HostTensor>; logPlacement?: boolean }
  | { type: 'trainToy'; opts: Partial<Omit<ToyTrainOptions, 'onStep'>> }
  | { type: 'loadCheckpoint'; url: string }
  | { type: 'coldstart'; options: ColdStartOptions }
  | { type: 'showcase'; count: number; seed: number; temperature: number };

/** The policy the worker holds, as the page sees it. */
export interface ModelInfo {
  source: string; // URL it was loaded from, or 'coldstart'
  config: GptConfig;
  parameters: number;
  task: TaskConfig;
  provenance: { seed: number; steps: number; createdAt: string; command?: string };
  metrics: Record<string, number>;
}

export interface RunResult {
  outputs: Record<string, HostTensor>;
  /** Which execution provider got which nodes (when asked for). */
  placement: Placement;
  ms: number;
}

export interface EngineResults {
  init: Capabilities & { choice: BackendChoice };
  run: RunResult;
  trainToy: ToyTrainResult;
  loadCheckpoint: ModelInfo;
  coldstart: ModelInfo;
  showcase: ShowcaseRow[];
}

export type ProgressEvent = ToyStepReport | ColdStartStep;

/** Page -> worker: `{ id, ...EngineRequest }` (workers/serve.ts). Worker -> page: a final reply (result or error) or a progress event. */
export type FromWorker =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; error: { name: string; message: string } }
  | { id: number; kind: 'progress'; event: ProgressEvent }
  /** Sent during `init` as soon as the backend is decided, before its runtime is ready. */
  | { id: number; kind: 'choice'; choice: BackendChoice };
