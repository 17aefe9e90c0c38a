// The model card written into every export: what the folder holds, how to load it, and every way
// the playground's GPT differs from GPT-2 with the config fields that make each one exact.
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { GptConfig } from '../model/gpt.js';

export function exportReadme({
  name,
  config: c,
  ck,
}: {
  name: string;
  config: GptConfig;
  ck: Checkpoint;
}): string {
  const hd = c.dModel / c.nHead;
  const metrics = Object.entries(ck.metrics ?? {})
    .map(([k, v]) => `| \`${k}\` | ${Number(v.toFixed(4))} |`)
    .join('\n');
  const task = JSON.stringify((ck.provenance.data as { task?: unknown }).task ?? ck.provenance.data);
  return `---
library_name: transformers.js
pipeline_tag: text-generation
tags: [gpt2, onnx, gcrl-playground]
---

# ${name}

A tiny GPT trained in the GC-RL Playground (seed ${ck.provenance.seed},
${ck.provenance.steps} steps, task \`${task}\`), exported with \`gcrl export\`.
${c.nLayer} layers, ${c.nHead} heads of ${hd}, width ${c.dModel}, MLP ${c.dMlp}, ${c.ctx} positions,
a ${c.vocab}-token character vocabulary.

| file | for |
| --- | --- |
| \`onnx/model.onnx\` | transformers.js / onnxruntime: a KV-cached fp32 decoder (gpt2 export convention) |
| \`model.safetensors\` | Python \`transformers\` (\`GPT2LMHeadModel\`), GPT-2 parameter names and layout |
| \`config.json\`, \`generation_config.json\` | both (model_type \`gpt2\`) |
| \`tokenizer.json\`, \`tokenizer_config.json\`, \`special_tokens_map.json\` | both (character-level BPE, no merges) |

${metrics ? `Metrics at export:\n\n| metric | value |\n| --- | --- |\n${metrics}\n` : ''}
## Load it

\`\`\`js
import { pipeline, env } from '@huggingface/transformers';
env.localModelPath = '/path/to/parent/'; // or push the folder to the Hub and use its id
const generate = await pipeline('text-generation', '${name}', { dtype: 'fp32' });
const out = await generate('<bos><q>37+85=<r>', { max_new_tokens: 8, do_sample: false });
\`\`\`

\`\`\`python
from transformers import GPT2LMHeadModel, AutoTokenizer
model = GPT2LMHeadModel.from_pretrained("path/to/folder")
tok = AutoTokenizer.from_pretrained("path/to/folder")
ids = tok("<bos><q>37+85=<r>", return_tensors="pt")
out = model.generate(**ids, max_new_tokens=8, do_sample=False)
print(tok.decode(out[0]))
\`\`\`

Prompts are written in the playground's formats: generation \`<bos><q>37+85=<r>\`, critique
\`<bos><q>37+85=<r>231<c>\` (answers are least-significant digit first). The tokenizer adds no
\`<bos>\`: the prompt text carries it.

## Differences from GPT-2, and what makes each exact

| aspect | this model | GPT-2 | exact? |
| --- | --- | --- | --- |
| GELU | tanh approximation | \`gelu_new\` (the same formula) | yes: \`activation_function: "gelu_new"\` |
| layer-norm epsilon | 1e-5 | 1e-5 | yes: \`layer_norm_epsilon: 1e-5\` |
| biases | every linear layer and norm has one | same | yes |
| LM head | tied to \`wte\` (logits = h·wteᵀ), no bias | tied | yes: \`tie_word_embeddings: true\`; \`lm_head.weight\` is not stored, as in GPT-2's own files |
| MLP width | ${c.dMlp} | 4·n_embd by default | yes: \`n_inner: ${c.dMlp}\` |
| attention scale | 1/√head_dim, no per-layer scaling | same | yes: \`scale_attn_weights: true\`, \`scale_attn_by_inverse_layer_idx: false\` |
| dropout | none | 0.1 while training | yes for inference (\`*_pdrop: 0\`) |
| positions under left padding | count real tokens only (first real token is 0) | \`position_ids\` if given, else 0.. over the padded row | transformers.js: yes (the ONNX declares \`position_ids\`, which it computes from \`attention_mask\`). Python: \`generate()\` derives them from \`attention_mask\`; a plain forward call on a left-padded batch must pass \`position_ids = attention_mask.cumsum(-1) - 1\` (clamped at 0) |
| masked attention | adds -1e9 to masked scores | fills with the dtype's minimum | equal in fp32 (both give weight 0) |
| past the position table (${c.ctx}) | the last row is reused | index error | no; \`max_length: ${c.ctx}\` in \`generation_config.json\` stops generation first |
| tokenizer | one token per character, specials as added tokens | byte-level BPE | n/a: an unknown character (e.g. a space) is an error in the playground and silently dropped by Hugging Face tokenizers (no \`unk_token\`) |
| precision | fp32 | fp32 | the ONNX decoder matches the playground engine within 1e-4 (tested) |

\`<pad>\`, \`<bos>\`, \`<eos>\` are special tokens (dropped by \`skip_special_tokens\`); \`<q> <r> <c> <f> <ok> <bad>\`
are added tokens that stay in decoded text, so verdicts survive decoding.
`;
}
