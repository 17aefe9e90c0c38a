// A GPT policy living on one runtime: weights resident on the device, compiled graphs cached per
// shape, batched KV-cached generation and per-token log-probs of given sequences.
import { type HostTensor, hostTensor, numel } from '../engine/dtype.js';
import type { CompileOptions, Program, Runtime } from '../engine/runtime.js';
import { ResidentState } from '../engine/state.js';
import { initParams } from '../nn/params.js';
import { Rng } from '../util/rng.js';
import { bucket, contextBatch, leftPad, MASKED, type PaddedBatch, sequenceFeeds } from './batch.js';
import {
  type BuiltGraph,
  cacheNames,
  type GptConfig,
  gptAppendStepGraph,
  gptConfigErrors,
  gptDecodeStepGraph,
  gptLogProbGraph,
  gptParamSpecs,
} from './gpt.js';
import { SAMPLING_DEFAULTS, type SamplingOptions, sampleToken } from './sample.js';

export interface GenerateOptions extends SamplingOptions {
  maxNew: number; // most tokens to generate per prompt
  eos: number; // stop a row after this token
  pad: number; // token fed to finished rows (never attended)
  seed: number; // seeds the sampler: same seed, weights and backend -> same rollouts
}

export interface Generation {
  tokens: number[]; // generated tokens, EOS included when reached
  logps: number[]; // log-prob of each under the (untempered) policy
  finished: boolean; // ended with EOS (false: hit maxNew or the context)
}

export class Policy {
  readonly state: ResidentState;
  /**
   * Who writes each decode step's new K/V slots: the host, into caches kept in host memory
   * (node-cpu, web-wasm: no run rewrites a whole cache), or the graph, for caches that live in GPU
   * buffers (web-webgpu). Either gives the same tokens; tests set it to check that.
   */
  cacheWrites: 'host' | 'graph';
  private readonly programs = new Map<string, Promise<{ program: Program; built: BuiltGraph }>>();
  /**
   * KV cache buffers kept between generate calls (host caches): a fresh 0.6 MB array per cache and
   * call costs page faults that a reused one does not (measured in Chromium: see docs/engine.md).
   */
  private readonly cacheBuffers: Float32Array[] = [];

  private constructor(
    readonly rt: Runtime,
    readonly config: GptConfig,
  ) {
    this.state = new ResidentState(rt);
    this.cacheWrites = rt.caps.residentOnGpu ? 'graph' : 'host';
  }

  /** A policy with the given weights (names and shapes must match the config). */
  static create(rt: Runtime, config: GptConfig, weights: ReadonlyMap<string, HostTensor>): Policy {
    const errs = gptConfigErrors(config);
    if (errs.length) throw new Error(`invalid GPT config: ${errs.join('; ')}`);
    const p = new Policy(rt, config);
    for (const s of gptParamSpecs(config)) {
      const w = weights.get(s.name);
      if (!w) throw new Error(`weights lack parameter '${s.name}'`);
      if (w.shape.length !== s.shape.length || w.shape.some((d, i) => d !== s.shape[i])) {
        throw new Error(`parameter '${s.name}' has shape [${w.shape}], the config needs [${s.shape}]`);
      }
      p.state.set(s.name, w);
    }
    return p;
  }

  /** A freshly initialised policy (seeded). */
  static init(rt: Runtime, config: GptConfig, seed: number): Policy {
    return Policy.create(rt, config, initParams(gptParamSpecs(config), seed));
  }

  /** Reads all weights back to the host (for checkpoints and reference copies). */
  async weights(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const s of gptParamSpecs(this.config)) out.set(s.name, await this.state.read(s.name));
    return out;
  }

  /** The compiled program for a graph, built once per shape key. */
  program(
    key: string,
    build: () => BuiltGraph,
    opts: Pick<CompileOptions, 'latencyBound'> = {},
  ): Promise<{ program: Program; built: BuiltGraph }> {
    let p = this.programs.get(key);
    if (!p) {
      p = (async () => {
        const built = build();
        const program = await this.rt.compile(built.graph.toOnnx(), {
          resident: Object.keys(built.feedback),
          ...opts,
        });
        return { program, built };
      })();
      p.catch(() => this.programs.delete(key));
      this.programs.set(key, p);
    }
    return p;
  }

  /**
   * Continues each prompt (token ids, BOS included) until EOS or `maxNew` tokens, batched over
   * all prompts: one prefill run, then one KV-cached run per generated token.
   */
  async generate(
    prompts: readonly ArrayLike<number>[],
    opts: Partial<GenerateOptions> & Pick<GenerateOptions, 'eos'>,
  ): Promise<Generation[]> {
    const o: GenerateOptions = { ...SAMPLING_DEFAULTS, maxNew: 16, pad: 0, seed: 0, ...opts };
    const c = this.config;
    const b = prompts.length;
    const longest = prompts.reduce((m, p) => Math.max(m, p.length), 0); // no spread: B may be large
    if (longest >= c.ctx)
      throw new Error(`a prompt of ${longest} tokens leaves no room in a context of ${c.ctx}`);
    // Prompts are padded to a length bucket (fewer compiled shapes) unless that would take room
    // the completion needs: the budget is cut only by the context itself, never by the padding.
    const plen = Math.min(bucket(longest, c.ctx - 1), Math.max(longest, c.ctx - o.maxNew));
    const maxNew = Math.min(o.maxNew, c.ctx - plen);
    const padded = leftPad(prompts, plen, o.pad);
    const hd = c.dModel / c.nHead;
    const slots = bucket(plen + maxNew, c.ctx); // KV cache length: only as long as this call needs
    const cacheShape = [b, c.nHead, slots, hd];
    const pooled = this.cacheWrites === 'host'; // graph-written caches are replaced by outputs: not ours to keep
    const taken: Float32Array[] = [];
    const emptyCache = (): HostTensor => {
      const n = numel(cacheShape);
      const i = pooled ? this.cacheBuffers.findIndex((a) => a.length === n) : -1;
      const data = i >= 0 ? (this.cacheBuffers.splice(i, 1)[0] as Float32Array).fill(0) : new Float32Array(n);
      if (pooled) taken.push(data);
      return { dtype: 'float32', shape: cacheShape, data };
    };
    for (let i = 0; i < c.nLayer; i++) {
      const n = cacheNames(i);
      this.state.set(n.k, emptyCache());
      this.state.set(n.v, emptyCache());
    }
    const slotValid = new Uint8Array(b * slots); // which cache slots hold real tokens
    for (let r = 0; r < b; r++) slotValid.set(padded.valid.subarray(r * plen, (r + 1) * plen), r * slots);
    const realLen = prompts.map((p) => p.length);
    const rng = new Rng(o.seed);
    const gens: Generation[] = prompts.map(() => ({ tokens: [], logps: [], finished: false }));
    try {
      // Prefill: S = plen new tokens in slots 0..plen-1.
      let logits = await this.prefill(prompts, padded, slotValid, slots);
      for (let t = 0; t < maxNew; t++) {
        const next = new Int32Array(b).fill(o.pad);
        const pos = new Int32Array(b);
        for (let r = 0; r < b; r++) {
          const g = gens[r] as Generation;
          pos[r] = Math.min(realLen[r] as number, c.ctx - 1);
          if (g.finished) continue;
          const { token, logp } = sampleToken(logits.subarray(r * c.vocab, (r + 1) * c.vocab), o, rng);
          g.tokens.push(token);
          g.logps.push(logp);
          g.finished = token === o.eos;
          next[r] = token;
          realLen[r] = (realLen[r] as number) + 1;
        }
        if (gens.every((g) => g.finished) || t === maxNew - 1) break;
        const slot = plen + t;
        for (let r = 0; r < b; r++) slotValid[r * slots + slot] = 1;
        logits = await this.decodeRun(b, 1, next, pos, slotValid, slots, slot);
      }
    } finally {
      for (let i = 0; i < c.nLayer; i++) this.state.delete(cacheNames(i).k, cacheNames(i).v);
      this.cacheBuffers.push(...taken); // a few per shape at most: generate calls run one at a time
      this.cacheBuffers.splice(0, Math.max(0, this.cacheBuffers.length - 4 * c.nLayer));
    }
    return gens;
  }

  /**
   * The prefill run. Rows that share a prompt (a GRPO group samples n completions of each) share
   * its prefill on host-memory caches: each distinct prompt runs once, then its cache rows and
   * logits are copied to every row that asked for it — the same numbers for a fraction of the work.
   */
  private async prefill(
    prompts: readonly ArrayLike<number>[],
    padded: PaddedBatch,
    slotValid: Uint8Array,
    slots: number,
  ): Promise<Float32Array> {
    const { batch: b, len: plen } = padded;
    const share = this.cacheWrites === 'host' ? sharedRows(prompts, b) : null;
    if (!share) return this.decodeRun(b, plen, padded.tokens, padded.positions, slotValid, slots, 0);
    const { src, firsts } = share;
    const u = firsts.length;
    const c = this.config;
    const rows = <T extends Int32Array | Uint8Array>(a: T, w: number): T => {
      const out = new (a.constructor as new (n: number) => T)(u * w);
      firsts.forEach((r, k) => {
        out.set(a.subarray(r * w, (r + 1) * w), k * w);
      });
      return out;
    };
    const cacheShape = [u, c.nHead, slots, c.dModel / c.nHead]; // [U, H, L, hd], empty before the prefill
    const empty: Record<string, HostTensor> = {};
    for (let i = 0; i < c.nLayer; i++) {
      const n = cacheNames(i);
      empty[n.k] = hostTensor('float32', cacheShape);
      empty[n.v] = hostTensor('float32', cacheShape);
    }
    const out = await this.appendRun(
      u,
      plen,
      rows(padded.tokens, plen),
      rows(padded.positions, plen),
      rows(slotValid, slots),
      slots,
      0,
      empty,
    );
    // Row r of every cache and of the logits takes the prefill of its prompt's first row, src[r].
    for (let i = 0; i < c.nLayer; i++) {
      const n = cacheNames(i);
      this.state.writeAt(n.k, out[`kv.k.${i}`] as HostTensor, 2, 0, src);
      this.state.writeAt(n.v, out[`kv.v.${i}`] as HostTensor, 2, 0, src);
    }
    const from = (out.logits as HostTensor).data as Float32Array;
    const logits = new Float32Array(b * c.vocab);
    for (let r = 0; r < b; r++) {
      const at = (src[r] as number) * c.vocab;
      logits.set(from.subarray(at, at + c.vocab), r * c.vocab);
    }
    return logits;
  }

  /** One decode-graph run for S new tokens stored from `slot` on in an L-slot cache; returns logits [B·V]. */
  private async decodeRun(
    b: number,
    s: number,
    tokens: Int32Array,
    positions: Int32Array,
    slotValid: Uint8Array,
    l: number, // cache slots
    slot: number,
  ): Promise<Float32Array> {
    const feeds = {
      tokens: { dtype: 'int32', shape: [b, s], data: tokens },
      positions: { dtype: 'int32', shape: [b, s], data: positions },
    } as const;
    if (this.cacheWrites === 'graph') return this.decodeRunInGraph(b, s, feeds, slotValid, l, slot);
    const out = await this.appendRun(b, s, tokens, positions, slotValid, l, slot);
    for (let i = 0; i < this.config.nLayer; i++) {
      const n = cacheNames(i);
      this.state.writeAt(n.k, out[`kv.k.${i}`] as HostTensor, 2, slot);
      this.state.writeAt(n.v, out[`kv.v.${i}`] as HostTensor, 2, slot);
    }
    return out.logits?.data as Float32Array;
  }

  /**
   * One run of the append graph: S new tokens per row against an L-slot cache whose first `slot`
   * slots are filled (the resident caches, unless `feeds` brings its own). Returns the logits and
   * the new K/V slots `kv.*`, which the caller writes into place.
   */
  private async appendRun(
    b: number,
    s: number,
    tokens: Int32Array,
    positions: Int32Array,
    slotValid: Uint8Array,
    l: number,
    slot: number,
    caches: Readonly<Record<string, HostTensor>> = {},
  ): Promise<Record<string, HostTensor>> {
    const c = this.config;
    const feeds = {
      ...caches,
      tokens: { dtype: 'int32', shape: [b, s], data: tokens },
      positions: { dtype: 'int32', shape: [b, s], data: positions },
    } as const;
    const { program } = await this.program(
      `append:${b}:${s}:${l}`,
      () => gptAppendStepGraph(c, b, s, l),
      { latencyBound: true }, // many small runs per generate call
    );
    const w = l + s; // bias columns: the L cache slots, then the S new tokens
    const bias = new Float32Array(b * s * w);
    for (let r = 0; r < b; r++) {
      const valid = slotValid.subarray(r * l, (r + 1) * l);
      for (let i = 0; i < s; i++) {
        const row = (r * s + i) * w;
        for (let j = 0; j < l; j++) bias[row + j] = j < slot && valid[j] ? 0 : MASKED;
        for (let j = 0; j < s; j++) bias[row + l + j] = j <= i && valid[slot + j] ? 0 : MASKED;
      }
    }
    return this.state.step(
      program,
      { ...feeds, bias: { dtype: 'float32', shape: [b, s, w], data: bias } },
      {},
    );
  }

  /** The WebGPU decode run: the graph writes the new slots (one-hot `write`) and returns whole caches. */
  private async decodeRunInGraph(
    b: number,
    s: number,
    feeds: Readonly<Record<'tokens' | 'positions', HostTensor>>,
    slotValid: Uint8Array,
    l: number,
    slot: number,
  ): Promise<Float32Array> {
    const c = this.config;
    const { program, built } = await this.program(
      `decode:${b}:${s}:${l}`,
      () => gptDecodeStepGraph(c, b, s, l),
      { latencyBound: true },
    );
    const bias = new Float32Array(b * s * l);
    const write = new Float32Array(s * l);
    for (let i = 0; i < s; i++) write[i * l + slot + i] = 1;
    for (let r = 0; r < b; r++) {
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < l; j++) {
          bias[(r * s + i) * l + j] = j <= slot + i && slotValid[r * l + j] ? 0 : MASKED;
        }
      }
    }
    const out = await this.state.step(
      program,
      {
        ...feeds,
        bias: { dtype: 'float32', shape: [b, s, l], data: bias },
        write: { dtype: 'float32', shape: [s, l], data: write },
      },
      built.feedback,
    );
    return out.logits?.data as Float32Array;
  }

  /**
   * Per-token log-probs and entropies of each completion given its prompt (teacher forcing):
   * for sequence `tokens` with `promptLen` prompt tokens, entry i is for tokens[promptLen + i].
   */
  async logProbs(
    seqs: readonly { tokens: ArrayLike<number>; promptLen: number }[],
  ): Promise<{ logp: number[]; entropy: number[] }[]> {
    const c = this.config;
    const sb = contextBatch(seqs, c.ctx);
    const len = sb.len;
    const b = seqs.length;
    const { program } = await this.program(`logprob:${b}:${len}`, () => gptLogProbGraph(c, b, len));
    const { mask: _unused, ...feeds } = sequenceFeeds(sb); // the log-prob graph takes no loss mask
    const out = await this.state.step(program, feeds, {});
    const logp = out.logp?.data as Float32Array;
    const ent = out.entropy?.data as Float32Array;
    return seqs.map((s, r) => {
      const n = s.tokens.length - s.promptLen; // completion tokens
      const start = r * len + len - n; // their target positions are the last n of the row
      return {
        logp: Array.from(logp.subarray(start, start + n)),
        entropy: Array.from(ent.subarray(start, start + n)),
      };
    });
  }

  dispose(): void {
    this.state.dispose();
  }
}

/**
 * Which rows can share a prefill: `src[r]` is the index of row r's prompt among the distinct
 * prompts, whose first rows are `firsts` — padded with repeats of row 0 to a multiple of 8 (fewer
 * compiled shapes). Null when sharing would not shrink the batch.
 */
export function sharedRows(
  prompts: readonly ArrayLike<number>[],
  b = prompts.length,
): { src: Int32Array; firsts: number[] } | null {
  const seen = new Map<string, number>();
  const src = new Int32Array(b);
  const firsts: number[] = [];
  prompts.forEach((p, r) => {
    const key = Array.prototype.join.call(p, ',');
    let k = seen.get(key);
    if (k === undefined) {
      k = firsts.length;
      seen.set(key, k);
      firsts.push(r);
    }
    src[r] = k;
  });
  const u = bucket(firsts.length, b);
  if (u >= b) return null;
  while (firsts.length < u) firsts.push(0);
  return { src, firsts };
}

/** Parameter count of a config (for display). */
export const parameterCount = (c: GptConfig): number =>
  gptParamSpecs(c).reduce((a, s) => a + numel(s.shape), 0);
