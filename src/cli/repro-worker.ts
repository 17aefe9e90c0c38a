// A `gcrl repro --jobs N` worker thread: trains the runs it is sent on its own node-cpu runtime
// with one ORT thread (N runs side by side use N cores better than one run with N threads).
import { parentPort } from 'node:worker_threads';
import { Runtime } from '../engine/runtime.js';
import { checkpointLoader, type JobReply, type JobRequest, trainCurve } from './repro-runs.js';

const port = parentPort;
if (!port) throw new Error('src/cli/repro-worker.ts runs as a worker thread (see src/cli/repro-runs.ts)');
const rt = await Runtime.create('node-cpu', { threads: 1 });
const base = checkpointLoader();
port.on('message', async (req: JobRequest) => {
  let reply: JobReply;
  try {
    reply = { id: req.id, curve: await trainCurve(rt, req.cfg, await base(req.cfg.base), req.evalSet) };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
