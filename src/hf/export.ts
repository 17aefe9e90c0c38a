// A checkpoint as a Hugging Face model folder (browser-safe: returns the files as bytes; the CLI
// writes them to disk, the page downloads them). Loads in transformers.js (onnx/model.onnx) and in
// Python transformers (model.safetensors under GPT-2's names).
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { encodeSafetensors } from '../checkpoint/safetensors.js';
import type { GptConfig } from '../model/gpt.js';
import { checkpointConfig } from '../model/io.js';
import { exportDecoderOnnx } from './decoder-graph.js';
import { generationConfig, gpt2Config, type SpecialIds, toGpt2Weights } from './gpt2-format.js';
import { exportReadme } from './readme.js';
import { tokenizerConfig, tokenizerJson } from './tokenizer-json.js';

export interface ExportedFile {
  path: string; // relative to the folder, '/'-separated
  bytes: Uint8Array;
}

/** Every file an exported folder holds, in the order they are written. */
export const EXPORT_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'model.safetensors',
  'onnx/model.onnx',
  'README.md',
] as const;

const json = (v: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

function specialIds(vocab: readonly string[]): SpecialIds {
  const id = (t: string) => {
    const i = vocab.indexOf(t);
    if (i < 0) throw new Error(`the checkpoint's vocabulary has no ${t} token`);
    return i;
  };
  return { pad: id('<pad>'), bos: id('<bos>'), eos: id('<eos>') };
}

export interface ExportOptions {
  /** A name for the model card (default: from provenance). */
  name?: string;
}

/** The folder's files for a checkpoint of the playground's GPT. */
export function exportHf(ck: Checkpoint, o: ExportOptions = {}): ExportedFile[] {
  const c: GptConfig = checkpointConfig(ck);
  const vocab = ck.tokenizer.vocab;
  const ids = specialIds(vocab);
  const provenance = {
    seed: ck.provenance.seed,
    steps: ck.provenance.steps,
    createdAt: ck.provenance.createdAt,
    ...(ck.provenance.parent ? { parent: ck.provenance.parent } : {}),
    ...(ck.provenance.command ? { command: ck.provenance.command } : {}),
  };
  const config = gpt2Config(c, ids, { gcrl: { model: { ...c }, provenance, data: ck.provenance.data } });
  const name =
    o.name ?? ck.provenance.parent ?? `gcrl-gpt-seed${ck.provenance.seed}-step${ck.provenance.steps}`;
  const files: Record<(typeof EXPORT_FILES)[number], Uint8Array> = {
    'config.json': json(config),
    'generation_config.json': json(generationConfig(c, ids)),
    'tokenizer.json': json(tokenizerJson(vocab)),
    'tokenizer_config.json': json(tokenizerConfig(vocab, c.ctx)),
    'special_tokens_map.json': json({ bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>' }),
    'model.safetensors': encodeSafetensors(toGpt2Weights(c, ck.weights), { format: 'pt' }),
    'onnx/model.onnx': exportDecoderOnnx(c, ck.weights),
    'README.md': new TextEncoder().encode(exportReadme({ name, config: c, ck })),
  };
  return EXPORT_FILES.map((path) => ({ path, bytes: files[path] }));
}
