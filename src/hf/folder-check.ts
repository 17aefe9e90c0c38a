// Checks a model folder before transformers.js sees it, so that a missing or malformed file fails
// with a message naming it (transformers.js's own errors for these cases are generic or late).

/** Reads one file of the folder as text, or null when it does not exist. */
export type ReadText = (path: string) => Promise<string | null>;

export class ModelFolderError extends Error {
  override name = 'ModelFolderError';
  constructor(
    readonly folder: string,
    readonly problems: readonly string[],
  ) {
    super(`${folder} is not a usable text-generation model folder: ${problems.join('; ')}`);
  }
}

/** Config fields transformers.js's gpt2 decoder needs (normalized config and cache shapes). */
const GPT2_FIELDS = ['n_layer', 'n_head', 'n_embd', 'vocab_size', 'eos_token_id'] as const;

function parse(text: string, file: string, problems: string[]): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    problems.push(`${file} is not a JSON object`);
  } catch (e) {
    problems.push(`${file} is not valid JSON (${(e as Error).message})`);
  }
  return null;
}

/**
 * Every problem with a folder (empty when it looks loadable). `onnxFile` is the decoder transformers.js
 * will load for the chosen dtype (fp32: onnx/model.onnx; q8: onnx/model_quantized.onnx).
 */
export async function modelFolderProblems(
  read: ReadText,
  has: (path: string) => Promise<boolean>,
  onnxFile = 'onnx/model.onnx',
): Promise<string[]> {
  const problems: string[] = [];
  const missing = async (file: string) => {
    if (!(await has(file))) problems.push(`missing ${file}`);
  };
  const configText = await read('config.json');
  if (configText === null) problems.push('missing config.json');
  else {
    const config = parse(configText, 'config.json', problems);
    if (config) {
      if (typeof config.model_type !== 'string') problems.push('config.json has no model_type');
      if (config.model_type === 'gpt2') {
        const absent = GPT2_FIELDS.filter((k) => config[k] === undefined);
        if (absent.length) problems.push(`config.json (gpt2) lacks ${absent.join(', ')}`);
      }
    }
  }
  const tokText = await read('tokenizer.json');
  if (tokText === null) problems.push('missing tokenizer.json');
  else {
    const tok = parse(tokText, 'tokenizer.json', problems);
    if (tok && (typeof tok.model !== 'object' || tok.model === null))
      problems.push('tokenizer.json has no model');
  }
  const tcText = await read('tokenizer_config.json');
  if (tcText === null) problems.push('missing tokenizer_config.json');
  else parse(tcText, 'tokenizer_config.json', problems);
  await missing(onnxFile);
  return problems;
}

/** Throws a ModelFolderError listing every problem, if any. */
export async function checkModelFolder(
  folder: string,
  read: ReadText,
  has: (path: string) => Promise<boolean>,
  onnxFile?: string,
): Promise<void> {
  const problems = await modelFolderProblems(read, has, onnxFile);
  if (problems.length) throw new ModelFolderError(folder, problems);
}

/** The ONNX file transformers.js loads for a dtype (its naming convention). */
export const onnxFileFor = (dtype: string): string =>
  dtype === 'fp32' ? 'onnx/model.onnx' : `onnx/model_${dtype === 'q8' ? 'quantized' : dtype}.onnx`;

export interface FolderEntry {
  path: string; // '/'-separated, relative
  bytes: Uint8Array;
}

/**
 * Files picked as a folder or read from a .tar usually sit under one top folder ("weak/config.json"):
 * strips it when config.json is not at the top itself.
 */
export function folderRoot(entries: readonly FolderEntry[]): FolderEntry[] {
  if (entries.some((e) => e.path === 'config.json')) return [...entries];
  const top = entries.find((e) => /^[^/]+\/config\.json$/.test(e.path));
  if (!top) return [...entries];
  const prefix = top.path.slice(0, -'config.json'.length);
  return entries
    .filter((e) => e.path.startsWith(prefix))
    .map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
}

/** The pre-flight readers over files held in memory. */
export function memoryReader(entries: readonly FolderEntry[]): {
  read: ReadText;
  has: (p: string) => Promise<boolean>;
} {
  const byPath = new Map(entries.map((e) => [e.path, e.bytes]));
  return {
    read: async (p) => {
      const b = byPath.get(p);
      return b ? new TextDecoder().decode(b) : null;
    },
    has: async (p) => byPath.has(p),
  };
}
