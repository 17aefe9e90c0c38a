// The Hugging Face side of an export: GPT-2's parameter names and layout, config.json and
// generation_config.json for a policy, so Python transformers' GPT2LMHeadModel and
// transformers.js read the same folder.
import type { HostTensor } from '../engine/dtype.js';
import type { GptConfig } from '../model/gpt.js';

/** Our parameter name -> GPT-2's (Conv1D weights are [in, out], the same layout as ours). */
export function gpt2Names(c: GptConfig): Record<string, string> {
  const m: Record<string, string> = {
    wte: 'transformer.wte.weight',
    wpe: 'transformer.wpe.weight',
    'lnf.g': 'transformer.ln_f.weight',
    'lnf.b': 'transformer.ln_f.bias',
  };
  const pairs: [string, string][] = [
    ['ln1.g', 'ln_1.weight'],
    ['ln1.b', 'ln_1.bias'],
    ['attn.wqkv', 'attn.c_attn.weight'],
    ['attn.bqkv', 'attn.c_attn.bias'],
    ['attn.wo', 'attn.c_proj.weight'],
    ['attn.bo', 'attn.c_proj.bias'],
    ['ln2.g', 'ln_2.weight'],
    ['ln2.b', 'ln_2.bias'],
    ['mlp.w1', 'mlp.c_fc.weight'],
    ['mlp.b1', 'mlp.c_fc.bias'],
    ['mlp.w2', 'mlp.c_proj.weight'],
    ['mlp.b2', 'mlp.c_proj.bias'],
  ];
  for (let i = 0; i < c.nLayer; i++) {
    for (const [ours, theirs] of pairs) m[`h${i}.${ours}`] = `transformer.h.${i}.${theirs}`;
  }
  return m;
}

/** The weights under GPT-2's names (lm_head is tied to wte and, as in GPT-2's own files, not stored). */
export function toGpt2Weights(c: GptConfig, w: ReadonlyMap<string, HostTensor>): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const [ours, theirs] of Object.entries(gpt2Names(c))) {
    const t = w.get(ours);
    if (!t) throw new Error(`weights lack parameter '${ours}'`);
    if (t.dtype !== 'float32')
      throw new Error(`parameter '${ours}' is ${t.dtype}; the export writes float32`);
    out.set(theirs, t);
  }
  return out;
}

/** The inverse of toGpt2Weights (for checks and for reading an export back). */
export function fromGpt2Weights(c: GptConfig, w: ReadonlyMap<string, HostTensor>): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  const missing: string[] = [];
  for (const [ours, theirs] of Object.entries(gpt2Names(c))) {
    const t = w.get(theirs);
    if (t) out.set(ours, t);
    else missing.push(theirs);
  }
  if (missing.length) throw new Error(`model.safetensors lacks ${missing.join(', ')}`);
  return out;
}

export interface SpecialIds {
  pad: number;
  bos: number;
  eos: number;
}

/** Fields of config.json; the comments say which of our choices each one pins down. */
export function gpt2Config(c: GptConfig, ids: SpecialIds, extra: Record<string, unknown> = {}) {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: c.vocab,
    n_positions: c.ctx,
    n_ctx: c.ctx,
    n_embd: c.dModel,
    n_layer: c.nLayer,
    n_head: c.nHead,
    n_inner: c.dMlp, // explicit: GPT-2's default is 4·n_embd
    activation_function: 'gelu_new', // our GELU is the tanh approximation, which is gelu_new
    layer_norm_epsilon: 1e-5, // ONNX LayerNormalization's default, the engine's value
    scale_attn_weights: true, // scores / sqrt(head_dim)
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true, // the LM head is wte transposed
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    summary_first_dropout: 0,
    initializer_range: 0.02,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    use_cache: true,
    torch_dtype: 'float32',
    'transformers.js_config': { dtype: 'fp32' },
    ...extra,
  };
}

/** generation_config.json: greedy by default, stopping at <eos> or the end of the position table. */
export const generationConfig = (c: GptConfig, ids: SpecialIds) => ({
  bos_token_id: ids.bos,
  eos_token_id: ids.eos,
  pad_token_id: ids.pad,
  max_length: c.ctx,
  do_sample: false,
});
