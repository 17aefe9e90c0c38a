// Entry of a `gcrl repro --jobs N` worker thread: a worker does not inherit the tsx loader that
// bin/gcrl.mjs registered, so it registers its own before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/repro-worker.ts');
