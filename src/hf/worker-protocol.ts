// Messages between the page and workers/hf.worker.ts (transformers.js in a Web Worker): export a
// checkpoint, load a model, generate with streamed text, and run the critic probe with progress.
import type { FolderEntry } from './folder-check.js';
import type { ProbeReport, ProbeSetOptions, ProbeTemplate } from './probe.js';

/** Where a model comes from. */
export type HfSource =
  | { kind: 'url'; url: string; name: string } // a playground checkpoint folder served by the page (shipped models)
  | { kind: 'bundle'; bytes: Uint8Array; name: string } // a checkpoint bundle (saved, imported, or a run's weights)
  | { kind: 'folder'; entries: FolderEntry[]; name: string } // an exported folder (picked folder or .tar), already HF
  | { kind: 'hub'; id: string; dtype?: string }; // a Hugging Face Hub id (needs the network)

export interface GenerateRequest {
  prompt: string;
  maxNewTokens: number;
  temperature: number; // 0 = greedy
  topK: number;
  topP: number;
  seed: number;
}

export type HfRequest =
  | { type: 'export'; source: HfSource; wasmPaths: string }
  | { type: 'load'; source: HfSource; wasmPaths: string }
  | { type: 'generate'; request: GenerateRequest }
  | {
      type: 'probe';
      template: ProbeTemplate;
      ratio: number;
      set: ProbeSetOptions;
    };

/** Replies besides the final result, under the request's id. */
export type HfEvent =
  | { id: number; kind: 'text'; text: string }
  | { id: number; kind: 'progress'; done: number; total: number; stage: string };

export interface ExportResult {
  name: string;
  bytes: Uint8Array; // the folder as one .tar (name/...)
  files: { path: string; size: number }[];
}

export interface LoadResult {
  name: string;
  /** What config.json says (model_type, sizes), for display. */
  summary: string;
  /** The task the model was trained on, when it is a playground export. */
  task: Partial<ProbeSetOptions> | null;
}

export interface GenerateResult {
  text: string;
  tokens: number[];
  ms: number;
}

export type ProbeResult = Omit<ProbeReport, 'samples'> & {
  metrics: Record<string, number>;
  samples: ProbeReport['samples']; // first few, for display
};
