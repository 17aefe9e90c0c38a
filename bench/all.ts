// `npm run bench`: the engine benchmark, then the GC-RL step benchmark, with the same flags
// (`--webgpu`, `--json FILE` for the engine part; `--steps N` for the training part), then the
// browser benchmark of the same step through the page (its JSON goes to bench/results/, or --web-json FILE).
await import('./engine.bench.js');
await import('./train.bench.js');
await import('./web.bench.js');

export {};
