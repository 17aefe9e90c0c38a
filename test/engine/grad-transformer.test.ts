// Gradient check of the whole toy transformer loss (every parameter) against central differences.
import { beforeAll, expect, it } from 'vitest';
import { type HostTensor, hostTensor, numel } from '../../src/engine/dtype.js';
import { Runtime } from '../../src/engine/runtime.js';
import { TOY_DEFAULTS, type ToyConfig, toyLossGradGraph } from '../../src/toy/transformer.js';
import { Rng } from '../../src/util/rng.js';
import { nums } from './gradcheck.js';

// Tolerance: for each checked element, |analytic - numeric| <= 1e-6 * max(1, |numeric|), numeric
// being the float64 central difference with eps 1e-6 (measured errors are ~1e-9).
const EPS = 1e-6;
const TOL = 1e-6;
const PER_PARAM = 6;

const cfg: ToyConfig = {
  ...TOY_DEFAULTS,
  dtype: 'float64',
  batch: 2,
  dModel: 8,
  nHead: 2,
  dMlp: 16,
  seqLen: 6,
  vocab: 13,
};

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

it('analytic gradients of every toy-transformer parameter match central differences', async () => {
  const { graph, specs } = toyLossGradGraph(cfg);
  const program = await rt.compile(graph.toOnnx());
  const rng = new Rng(2024);

  // Larger-than-init values (std 0.3; norms 1 ± 0.2, biases ±0.2) so no gradient is tiny or 0.
  const feeds: Record<string, HostTensor> = {};
  for (const s of specs) {
    const n = numel(s.shape);
    const gen = () =>
      s.init.kind === 'normal' ? 0.3 * rng.normal() : (s.init.kind === 'ones' ? 1 : 0) + 0.2 * rng.normal();
    feeds[s.name] = hostTensor('float64', s.shape, Array.from({ length: n }, gen));
  }
  const bt = [cfg.batch, cfg.seqLen];
  const n = cfg.batch * cfg.seqLen;
  feeds.tokens = hostTensor(
    'int32',
    bt,
    Array.from({ length: n }, () => rng.int(cfg.vocab)),
  );
  feeds.targets = hostTensor(
    'int32',
    bt,
    Array.from({ length: n }, () => rng.int(cfg.vocab)),
  );
  feeds.mask = hostTensor(
    'float64',
    bt,
    Array.from({ length: n }, (_, i) => (i % cfg.seqLen >= 2 ? 1 : 0)),
  );

  const base = await program.runHost(feeds);
  const loss0 = Number(base.loss?.data[0]);
  expect(loss0).toBeGreaterThan(0);
  expect(Number.isFinite(loss0)).toBe(true);

  const lossAt = async (name: string, i: number, d: number) => {
    const t = feeds[name] as HostTensor;
    const data = Float64Array.from(t.data as Float64Array);
    data[i] = (data[i] as number) + d;
    const out = await program.runHost({ ...feeds, [name]: { ...t, data } });
    return Number(out.loss?.data[0]);
  };

  const worst: Record<string, number> = {};
  let maxAbs = 0;
  for (const s of specs) {
    const grad = base[`grad.${s.name}`] as HostTensor;
    expect(grad.shape).toEqual([...s.shape]);
    expect(Math.max(...nums(grad).map(Math.abs)), s.name).toBeGreaterThan(1e-4);
    const total = numel(s.shape);
    const picks = new Set<number>();
    while (picks.size < Math.min(PER_PARAM, total)) picks.add(rng.int(total));
    let err = 0;
    for (const i of picks) {
      const numeric = ((await lossAt(s.name, i, EPS)) - (await lossAt(s.name, i, -EPS))) / (2 * EPS);
      err = Math.max(err, Math.abs(Number(grad.data[i]) - numeric) / Math.max(1, Math.abs(numeric)));
      maxAbs = Math.max(maxAbs, Math.abs(numeric));
    }
    worst[s.name] = err;
  }
  if (process.env.GRADCHECK_REPORT) console.log(worst, { maxAbs });
  expect(Object.keys(worst)).toHaveLength(specs.length);
  expect(maxAbs).toBeGreaterThan(1e-2);
  for (const [name, err] of Object.entries(worst)) expect(err, name).toBeLessThanOrEqual(TOL);
});
