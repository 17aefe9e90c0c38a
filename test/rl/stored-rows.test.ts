// Same results: a fixed-seed 5-step GC-RL run from the shipped `weak` checkpoint must reproduce the
// stored metric rows (every key but time/* and perf/*, within 1e-4) on node-cpu and on web-wasm
// (onnxruntime-web's WASM kernels, run in Node). A speed change that alters what is computed fails here.
//
// Regenerating the rows is a deliberate act, never a way to make this test pass:
//   UPDATE_STORED_ROWS=1 npx vitest run test/rl/stored-rows.test.ts
// writes test/fixtures/stored-rows.json from node-cpu; commit it ON ITS OWN, with a message that
// says which change altered the results and why that is intended (e.g. a different but equivalent
// sampling draw, a token budget, a Fisher–Yates shuffle replacing a sort-based one), and check
// that the run's held-out metrics are statistically unchanged.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { type BackendName, Runtime } from '../../src/engine/runtime.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';

const FIXTURE = 'test/fixtures/stored-rows.json';
const TOL = 1e-4;
const update = process.env.UPDATE_STORED_ROWS === '1';

/**
 * The run: the default GC-RL preset's sizes, with every field that decides the rows pinned here
 * (a later change of a default must not silently change this run). Fields added to the config
 * later take their defaults, through the spreads.
 */
function storedRowsConfig(): TrainConfig {
  const d = preset('gcrl');
  return {
    ...d,
    mode: 'gcrl',
    task: { ...d.task, family: 'add', digits: 2, trainSize: 512, heldOutSize: 256, splitSeed: 1234 },
    base: 'public/models/weak',
    seed: 1,
    steps: 5,
    rollout: { ...d.rollout, questions: 16, n: 5, temperature: 1, topK: 0, topP: 1 },
    critique: {
      ...d.critique,
      input: 'filter',
      pairs: 16,
      n: 5,
      cacheCapacity: 256,
      reward: { correctRight: 0.7, correctWrong: 0, wrongRight: 0.7, wrongWrong: 0, missing: 0 },
      denoiseM: 0,
      staticResponses: 10,
    },
    grpo: {
      ...d.grpo,
      advantage: 'grpo',
      grouping: 'per-prompt',
      skipZeroVariance: false,
      miniBatch: 64,
      epochs: 1,
      lr: 3e-5,
      clipLow: 0.2,
      clipHigh: 0.2,
      klCoef: 1e-3,
      kl: 'k3',
      aggregation: 'token-mean',
    },
    eval: { every: 5, questions: 32 }, // the held-out metrics (greedy decoding) join the last row
  };
}

type Row = Record<string, number | null>; // null stands for NaN (JSON has none)
const compared = (k: string) => !k.startsWith('time/') && !k.startsWith('perf/');

async function runRows(backend: BackendName, base: Checkpoint): Promise<Row[]> {
  const rt = await Runtime.create(backend);
  const cfg = storedRowsConfig();
  const trainer = await GcrlTrainer.create(rt, cfg, base);
  const rows: Row[] = [];
  try {
    for (let s = 0; s < cfg.steps; s++) {
      const m = await trainer.step();
      rows.push(
        Object.fromEntries(
          Object.entries(m)
            .filter(([k]) => compared(k))
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, Number.isNaN(v) ? null : v]),
        ),
      );
    }
  } finally {
    trainer.dispose();
  }
  return rows;
}

/** Every difference between two row lists, as readable lines (empty when they agree). */
function rowDifferences(got: readonly Row[], want: readonly Row[], tol = TOL): string[] {
  const out: string[] = [];
  if (got.length !== want.length) out.push(`${got.length} rows, stored ${want.length}`);
  want.forEach((w, i) => {
    const g = got[i] ?? {};
    for (const k of new Set([...Object.keys(w), ...Object.keys(g)])) {
      if (!(k in g)) out.push(`row ${i + 1}: '${k}' missing (stored ${w[k]})`);
      else if (!(k in w)) out.push(`row ${i + 1}: '${k}' = ${g[k]} is not in the stored rows`);
      else {
        const [a, b] = [g[k] ?? null, w[k] ?? null];
        const same = a === null || b === null ? a === b : Math.abs(a - b) <= tol;
        if (!same) out.push(`row ${i + 1}: '${k}' = ${a}, stored ${b} (|Δ| > ${tol})`);
      }
    }
  });
  return out;
}

let base: Checkpoint;
let stored: Row[] | null = null;
beforeAll(async () => {
  base = await loadCheckpointDir(storedRowsConfig().base);
  if (existsSync(FIXTURE)) stored = JSON.parse(readFileSync(FIXTURE, 'utf8')).rows as Row[];
});

const REGEN =
  'if this change is meant to alter the results, regenerate with UPDATE_STORED_ROWS=1 npx vitest run test/rl/stored-rows.test.ts and commit the fixture alone, saying why';

describe('stored rows: a fixed-seed 5-step GC-RL run reproduces', () => {
  let nodeRows: Row[] = [];
  afterAll(() => {
    if (!update) return;
    const note =
      'Metric rows of storedRowsConfig() in test/rl/stored-rows.test.ts on node-cpu (time/* and perf/* left out). Regenerate only on purpose: see that file.';
    writeFileSync(FIXTURE, `${JSON.stringify({ note, rows: nodeRows }, null, 1)}\n`);
  });

  it('on node-cpu', { timeout: 180_000 }, async () => {
    nodeRows = await runRows('node-cpu', base);
    expect(nodeRows).toHaveLength(5);
    expect(nodeRows[4]).toHaveProperty('eval/gen/acc');
    if (update) return;
    expect(stored, `${FIXTURE} is missing: ${REGEN}`).not.toBeNull();
    expect(rowDifferences(nodeRows, stored ?? []), REGEN).toEqual([]);
  });

  it('on web-wasm (the same WASM kernels the page runs)', { timeout: 300_000 }, async () => {
    if (update) return;
    const rows = await runRows('web-wasm', base);
    expect(rowDifferences(rows, stored ?? []), REGEN).toEqual([]);
  });

  it('and the comparison notices a changed value, a missing key and NaN vs a number', () => {
    const want: Row[] = [{ a: 1, b: null, c: 2 }];
    expect(rowDifferences([{ a: 1 + 5e-5, b: null, c: 2 }], want)).toEqual([]);
    expect(rowDifferences([{ a: 1.001, b: 0, d: 1 }], want)).toHaveLength(4);
  });
});
