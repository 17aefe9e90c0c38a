// Checkpoint config validation, expectations, single-file bundles, folders on disk and fetch.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  CheckpointError,
  checkpointFromBlobs,
  fetchCheckpoint,
  packCheckpoint,
  parseCheckpoint,
  serializeCheckpoint,
  unpackCheckpoint,
} from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir, saveCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/checkpoint/safetensors.js';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';

const VOCAB = ['<pad>', '<eos>', 'a', 'b', 'c'];
const SHAPES = { 'tok_emb.weight': [5, 4], 'head.bias': [5], 'block0.mask': [2, 2] } as const;

function makeCheckpoint(): Checkpoint {
  return {
    format: 'gcrl-checkpoint',
    version: 1,
    model: { dModel: 4, nLayers: 1, vocabSize: 5 },
    tokenizer: { vocab: [...VOCAB] },
    provenance: {
      seed: 42,
      steps: 200,
      data: { task: 'reverse', digits: 4 },
      createdAt: '2025-01-02T03:04:05.000Z',
      command: 'npm run train -- --seed 42',
    },
    metrics: { loss: 0.0049, accuracy: 1 },
    weights: new Map<string, HostTensor>([
      [
        'tok_emb.weight',
        hostTensor(
          'float32',
          [5, 4],
          Array.from({ length: 20 }, (_, i) => i / 7 - 1),
        ),
      ],
      ['head.bias', hostTensor('float64', [5], [0.1, 0.2, 0.3, -0.4, 1e-300])],
      ['block0.mask', hostTensor('int32', [2, 2], [1, 0, 1, 1])],
    ]),
  };
}

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected a CheckpointError');
};

const asyncErrorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected a CheckpointError');
};

function expectSame(a: Checkpoint, b: Checkpoint): void {
  const { weights: wa, ...ca } = a;
  const { weights: wb, ...cb } = b;
  expect(cb).toEqual(ca);
  expect([...wb.keys()].sort()).toEqual([...wa.keys()].sort());
  for (const [name, t] of wa) {
    const u = wb.get(name) as HostTensor;
    expect(u.dtype).toBe(t.dtype);
    expect(u.shape).toEqual(t.shape);
    expect(u.data).toEqual(t.data);
  }
}

/** config.json text with `edit` applied to the parsed object. */
function editedConfig(edit: (c: Record<string, unknown>) => void): string {
  const c = JSON.parse(serializeCheckpoint(makeCheckpoint()).configJson);
  edit(c);
  return JSON.stringify(c);
}

describe('serialize / parse', () => {
  const ck = makeCheckpoint();
  const { configJson, weights } = serializeCheckpoint(ck);

  it('round trips config and weights', () => {
    expectSame(ck, parseCheckpoint(configJson, weights, { paramShapes: SHAPES, vocab: VOCAB }));
  });

  it('writes pretty config.json without weights and tags the safetensors metadata', () => {
    expect(configJson.endsWith('}\n')).toBe(true);
    expect(configJson).toContain('\n  "format": "gcrl-checkpoint",\n  "version": 1,');
    expect(Object.keys(JSON.parse(configJson))).toEqual([
      'format',
      'version',
      'model',
      'tokenizer',
      'provenance',
      'metrics',
    ]);
    expect(decodeSafetensors(weights).metadata).toEqual({
      'gcrl.format': 'gcrl-checkpoint',
      'gcrl.version': '1',
    });
  });

  it('accepts weights from other safetensors writers (no gcrl metadata)', () => {
    const plain = encodeSafetensors(ck.weights, { format: 'pt' });
    expect(parseCheckpoint(configJson, plain).weights.size).toBe(3);
  });

  it('rejects a wrong format or version', () => {
    expect(
      errorOf(() =>
        parseCheckpoint(
          editedConfig((c) => (c.format = 'other')),
          weights,
        ),
      ),
    ).toBe('invalid config.json: format is "other", expected "gcrl-checkpoint"');
    expect(
      errorOf(() =>
        parseCheckpoint(
          editedConfig((c) => (c.version = 2)),
          weights,
        ),
      ),
    ).toBe('invalid config.json: unsupported version 2 (this build reads version 1)');
    const v2 = encodeSafetensors(ck.weights, { 'gcrl.version': '2' });
    expect(errorOf(() => parseCheckpoint(configJson, v2))).toMatch(
      /model.safetensors: unsupported checkpoint version "2"/,
    );
  });

  it('rejects config.json that is not JSON', () => {
    expect(errorOf(() => parseCheckpoint('{"format": ', weights))).toMatch(
      /^config.json is not valid JSON: /,
    );
  });

  it('rejects missing provenance and bad field types, listing every problem', () => {
    expect(
      errorOf(() =>
        parseCheckpoint(
          editedConfig((c) => delete c.provenance),
          weights,
        ),
      ),
    ).toBe('invalid config.json: provenance is missing');
    const msg = errorOf(() =>
      parseCheckpoint(
        editedConfig((c) => {
          c.model = [];
          c.tokenizer = { vocab: ['a', 3] };
          c.provenance = { seed: 1.5, steps: -1, data: null, createdAt: 'yesterday', extra: true };
          c.metrics = { loss: 'low' };
          c.weights = 'x';
        }),
        weights,
      ),
    );
    for (const part of [
      'unknown field "weights"',
      'model must be an object',
      'tokenizer.vocab[1] is 3, not a string',
      'unknown field "provenance.extra"',
      'provenance.seed must be an integer (got 1.5)',
      'provenance.steps must be an integer ≥ 0 (got -1)',
      'provenance.data must be an object',
      'provenance.createdAt must be an ISO 8601 date string (got "yesterday")',
      'metrics.loss must be a finite number (got "low")',
    ]) {
      expect(msg).toContain(part);
    }
    expect(
      errorOf(() =>
        parseCheckpoint(
          editedConfig((c) => (c.tokenizer = { vocab: 'abc' })),
          weights,
        ),
      ),
    ).toMatch(/tokenizer.vocab must be an array of strings/);
    expect(
      errorOf(() =>
        parseCheckpoint(
          editedConfig((c) => (c.tokenizer = { vocab: ['a', 'a'] })),
          weights,
        ),
      ),
    ).toMatch(/tokenizer.vocab has duplicate token "a"/);
  });

  it('reports missing, unexpected and mismatched tensors with their shapes', () => {
    const msg = errorOf(() =>
      parseCheckpoint(configJson, weights, {
        paramShapes: { 'tok_emb.weight': [6, 4], 'head.bias': [5], 'head.weight': [4, 5] },
      }),
    );
    expect(msg).toBe(
      'weights do not match the model: missing tensors: head.weight [4, 5]; ' +
        'unexpected tensors: block0.mask [2, 2]; shape mismatches: tok_emb.weight is [5, 4], expected [6, 4]',
    );
  });

  it('reports a vocabulary mismatch', () => {
    expect(
      errorOf(() => parseCheckpoint(configJson, weights, { vocab: ['<pad>', '<eos>', 'a', 'x', 'c'] })),
    ).toBe(
      'tokenizer mismatch: checkpoint vocab has 5 tokens, expected 5; first difference at index 3: checkpoint has "b", expected "x"',
    );
    expect(errorOf(() => parseCheckpoint(configJson, weights, { vocab: [...VOCAB, 'd'] }))).toBe(
      'tokenizer mismatch: checkpoint vocab has 5 tokens, expected 6; the first 5 tokens agree',
    );
  });

  it('prefixes weight errors with the file name', () => {
    expect(errorOf(() => parseCheckpoint(configJson, weights.subarray(0, 4)))).toMatch(
      /^model.safetensors: file too short: 4 bytes/,
    );
  });

  it('refuses to serialize an invalid checkpoint', () => {
    const bad = { ...makeCheckpoint(), metrics: { loss: Number.NaN } };
    expect(errorOf(() => serializeCheckpoint(bad))).toMatch(
      /metrics.loss must be a finite number \(got null\)/,
    );
  });
});

describe('single-file bundle', () => {
  it('round trips through pack/unpack and stores the config in __metadata__', () => {
    const ck = makeCheckpoint();
    const bytes = packCheckpoint(ck);
    const meta = decodeSafetensors(bytes).metadata;
    expect(JSON.parse(meta['gcrl.config'] as string).provenance.seed).toBe(42);
    expectSame(ck, unpackCheckpoint(bytes, { paramShapes: SHAPES, vocab: VOCAB }));
  });

  it('rejects a plain weights file and checks expectations', () => {
    const { weights } = serializeCheckpoint(makeCheckpoint());
    expect(errorOf(() => unpackCheckpoint(weights))).toMatch(
      /not a checkpoint bundle: .* no "gcrl.config" entry/,
    );
    expect(errorOf(() => unpackCheckpoint(packCheckpoint(makeCheckpoint()), { vocab: ['a'] }))).toMatch(
      /tokenizer mismatch/,
    );
    expect(errorOf(() => unpackCheckpoint(new Uint8Array(3)))).toMatch(/^checkpoint bundle: file too short/);
  });
});

describe('checkpoint folders (Node)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gcrl-ck-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('saves and loads a folder', async () => {
    const ck = makeCheckpoint();
    const dir = join(root, 'run1', 'step200');
    await saveCheckpointDir(dir, ck);
    const config = await readFile(join(dir, 'config.json'), 'utf8');
    expect(config).toBe(serializeCheckpoint(ck).configJson);
    expectSame(ck, await loadCheckpointDir(dir, { paramShapes: SHAPES, vocab: VOCAB }));
  });

  it('names the path when the folder or a file is missing', async () => {
    const missing = join(root, 'nope');
    expect(await asyncErrorOf(loadCheckpointDir(missing))).toBe(`checkpoint folder not found: ${missing}`);
    const dir = join(root, 'half');
    await saveCheckpointDir(dir, makeCheckpoint());
    await rm(join(dir, 'model.safetensors'));
    expect(await asyncErrorOf(loadCheckpointDir(dir))).toBe(
      `checkpoint folder ${dir} has no model.safetensors (looked for ${join(dir, 'model.safetensors')})`,
    );
    const file = join(root, 'file.txt');
    await writeFile(file, 'x');
    expect(await asyncErrorOf(loadCheckpointDir(file))).toMatch(/is not a folder/);
  });

  it('prefixes validation errors with the folder', async () => {
    const dir = join(root, 'bad');
    await saveCheckpointDir(dir, makeCheckpoint());
    await writeFile(join(dir, 'config.json'), '{"format":"gcrl-checkpoint","version":9}');
    expect(await asyncErrorOf(loadCheckpointDir(dir))).toBe(
      `${dir}: invalid config.json: unsupported version 9 (this build reads version 1)`,
    );
  });
});

describe('browser loaders', () => {
  const { configJson, weights } = serializeCheckpoint(makeCheckpoint());
  const files: Record<string, Uint8Array | string> = {
    'https://x.test/ck/config.json': configJson,
    'https://x.test/ck/model.safetensors': weights,
  };
  const fakeFetch = (async (url: string) =>
    url in files
      ? new Response(files[url] as BodyInit)
      : new Response('not here', { status: 404, statusText: 'Not Found' })) as unknown as typeof fetch;

  it('fetches config.json and model.safetensors', async () => {
    const ck = await fetchCheckpoint('https://x.test/ck/', { vocab: VOCAB }, { fetch: fakeFetch });
    expectSame(makeCheckpoint(), ck);
  });

  it('names the URL and HTTP status on failure', async () => {
    expect(
      await asyncErrorOf(fetchCheckpoint('https://x.test/gone', undefined, { fetch: fakeFetch })),
    ).toMatch(/failed to fetch https:\/\/x.test\/gone\/(config.json|model.safetensors): HTTP 404 Not Found/);
    const offline = (async () => {
      throw new TypeError('network down');
    }) as unknown as typeof fetch;
    expect(await asyncErrorOf(fetchCheckpoint('https://x.test/ck', undefined, { fetch: offline }))).toMatch(
      /failed to fetch https:\/\/x.test\/ck\/(config.json|model.safetensors): network down/,
    );
  });

  it('reads a pair of Blobs', async () => {
    const ck = await checkpointFromBlobs(new Blob([configJson]), new Blob([weights as BlobPart]));
    expectSame(makeCheckpoint(), ck);
  });
});
