// `npm run bench`: the engine benchmark, then the GC-RL step benchmark, with the same flags
// (`--webgpu`, `--json FILE` for the engine part; `--steps N` for the training part).
await import('./engine.bench.js');
await import('./train.bench.js');

export {};
