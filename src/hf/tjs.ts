// The transformers.js seam: the only module that imports @huggingface/transformers. Configures its
// env (local folders or in-memory files, no CDN, no Hub unless asked) and wraps a causal LM as a
// streaming text generator used by the "Try the model" panel, the critic probe and the tests.
import { checkModelFolder, onnxFileFor } from './folder-check.js';

type Tjs = typeof import('@huggingface/transformers');

export interface HfEnvOptions {
  /** Folder (Node) or URL prefix (browser) that holds model folders; names resolve below it. */
  localModelPath?: string;
  /** Model files held in memory, keyed `${name}/${path}` (the page's exports and uploads). */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Let names that are not local resolve on the Hugging Face Hub (default false). */
  allowRemote?: boolean;
  /** Browser: where onnxruntime-web's .wasm/.mjs are served (never the CDN). */
  wasmPaths?: string;
}

/** The URL prefix in-memory files are served under (never fetched from the network). */
export const MEMORY_PREFIX = '/__hf_memory__/';

let loaded: Promise<Tjs> | null = null;
let original: Pick<Tjs['env'], 'fetch' | 'useFS' | 'useBrowserCache'> | null = null;
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Imports transformers.js once and applies `o` to its env (each call re-applies). */
export async function transformers(o: HfEnvOptions = {}): Promise<Tjs> {
  loaded ??= import('@huggingface/transformers');
  const t = await loaded;
  const env = t.env;
  original ??= { fetch: env.fetch, useFS: env.useFS, useBrowserCache: env.useBrowserCache };
  Object.assign(env, original); // undo a previous call's in-memory setup
  env.allowRemoteModels = o.allowRemote ?? false;
  env.allowLocalModels = true;
  if (o.files) {
    const files = o.files;
    env.localModelPath = MEMORY_PREFIX;
    env.useFS = false;
    env.useBrowserCache = false; // in-memory models must not linger in Cache Storage
    const net = globalThis.fetch.bind(globalThis);
    env.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const path = decodeURIComponent(new URL(url, 'http://memory.invalid').pathname);
      if (!path.startsWith(MEMORY_PREFIX)) return net(input, init);
      const bytes = files.get(path.slice(MEMORY_PREFIX.length));
      return bytes
        ? new Response(bytes as BlobPart, {
            status: 200,
            headers: { 'content-length': String(bytes.length) },
          })
        : new Response(null, { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;
  } else if (o.localModelPath) {
    env.localModelPath = o.localModelPath.endsWith('/') ? o.localModelPath : `${o.localModelPath}/`;
  }
  const wasm = env.backends.onnx?.wasm as { wasmPaths?: unknown; numThreads?: number } | undefined;
  if (!isNode && wasm) {
    wasm.wasmPaths = o.wasmPaths ?? '/ort/';
    wasm.numThreads = 1; // a tiny decoder gains nothing from threads; no nested workers under a CSP
  }
  return t;
}

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Seeds transformers.js's sampler (its global Mersenne Twister). */
  seed?: number;
  /** Called with each new piece of text as it is generated. */
  onText?: (text: string) => void;
}

export interface GenerateResult {
  tokens: number[]; // generated ids (EOS included when reached)
  text: string; // decoded, special tokens kept
}

/** Reads a folder's file as text for the pre-flight check, or null when absent. */
export type FolderReader = {
  read: (p: string) => Promise<string | null>;
  has: (p: string) => Promise<boolean>;
};

export class HfTextModel {
  private constructor(
    private readonly t: Tjs,
    readonly name: string,
    readonly tokenizer: InstanceType<Tjs['PreTrainedTokenizer']>,
    readonly model: InstanceType<Tjs['PreTrainedModel']>,
  ) {}

  /**
   * Loads a causal LM by name (a folder under the local model path, an in-memory model, or a Hub id
   * with allowRemote). With `folder`, the files are checked first and a problem names the file.
   */
  static async load(
    name: string,
    o: HfEnvOptions & { dtype?: string; folder?: FolderReader; onProgress?: (p: unknown) => void } = {},
  ): Promise<HfTextModel> {
    const t = await transformers(o);
    let dtype = o.dtype;
    if (o.folder) {
      const cfg = await o.folder.read('config.json');
      let declared: string | undefined;
      try {
        declared = cfg ? (JSON.parse(cfg)['transformers.js_config']?.dtype as string | undefined) : undefined;
      } catch {
        declared = undefined; // reported by the check below
      }
      dtype ??= declared;
      await checkModelFolder(name, o.folder.read, o.folder.has, dtype ? onnxFileFor(dtype) : undefined);
    }
    const opts = { progress_callback: o.onProgress, ...(dtype ? { dtype: dtype as 'fp32' } : {}) };
    const tokenizer = await t.AutoTokenizer.from_pretrained(name, opts);
    const model = await t.AutoModelForCausalLM.from_pretrained(name, {
      ...opts,
      device: isNode ? 'cpu' : 'wasm',
    });
    return new HfTextModel(t, name, tokenizer, model);
  }

  encode(text: string): number[] {
    return this.tokenizer.encode(text);
  }

  decode(ids: readonly number[]): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: false });
  }

  /** Continues `prompt` (text, or token ids); greedy unless temperature > 0. */
  async generate(prompt: string | readonly number[], o: GenerateOptions): Promise<GenerateResult> {
    const ids = typeof prompt === 'string' ? this.encode(prompt) : [...prompt];
    const input_ids = new this.t.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const attention_mask = new this.t.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [
      1,
      ids.length,
    ]);
    const sample = (o.temperature ?? 0) > 0;
    if (sample && o.seed !== undefined) this.t.random.seed(o.seed);
    const streamer = o.onText
      ? new this.t.TextStreamer(this.tokenizer, {
          skip_prompt: true,
          skip_special_tokens: false,
          callback_function: o.onText,
        })
      : undefined;
    const out = (await this.model.generate({
      input_ids,
      attention_mask,
      max_new_tokens: o.maxNewTokens,
      do_sample: sample,
      ...(sample ? { temperature: o.temperature, top_k: o.topK ?? 0, top_p: o.topP ?? 1 } : {}),
      ...(streamer ? { streamer } : {}),
    } as Parameters<typeof this.model.generate>[0])) as InstanceType<Tjs['Tensor']>;
    const row = (out.tolist() as bigint[][])[0] ?? [];
    const tokens = row.slice(ids.length).map(Number);
    return { tokens, text: this.decode(tokens) };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
