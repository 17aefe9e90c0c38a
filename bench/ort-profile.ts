// Sums ORT profiles written under GCRL_ORT_PROFILE=DIR (`npx tsx bench/ort-profile.ts DIR [top]`):
// per session (graph), the runs, wall ms per run, kernel ms per run and the op types that take it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Event = { cat?: string; name: string; dur: number; args?: { op_name?: string } };
const [dir = '.', topArg = '8'] = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Event[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  if (!runs.length) continue;
  const byOp = new Map<string, number>();
  for (const e of events)
    if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) {
      const k = e.args?.op_name ?? '?';
      byOp.set(k, (byOp.get(k) ?? 0) + e.dur);
    }
  const kernel = [...byOp.values()].reduce((a, b) => a + b, 0);
  const perRun = (us: number) => (us / runs.length / 1000).toFixed(2);
  const wall = runs.reduce((a, e) => a + e.dur, 0);
  console.log(`${file}: ${runs.length} runs, ${perRun(wall)} ms/run, kernels ${perRun(kernel)} ms/run`);
  for (const [k, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
    console.log(
      `  ${k.padEnd(26)} ${perRun(us).padStart(8)} ms/run ${((100 * us) / kernel).toFixed(1).padStart(5)}%`,
    );
}
