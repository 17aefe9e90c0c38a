// Summarises a main-thread CPU profile written by `npm run bench:web -- --profile DIR` (Chrome's
// .cpuprofile): self time by function and by script, so the page's main-thread costs can be ranked.
// Usage: tsx bench/web-profile.ts FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: tsx bench/web-profile.ts FILE.cpuprofile [--top N]');
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
p.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
});
const total = (p.endTime - p.startTime) / 1000;

const fnTime = new Map<string, number>();
const scriptTime = new Map<string, number>();
for (const [id, ms] of self) {
  const f = byId.get(id)?.callFrame;
  if (!f) continue;
  const script = f.url ? (f.url.split('/').pop() ?? f.url) : `(${f.functionName || 'native'})`;
  const name = `${f.functionName || '(anonymous)'}  ${script}:${f.lineNumber + 1}`;
  fnTime.set(name, (fnTime.get(name) ?? 0) + ms);
  scriptTime.set(script, (scriptTime.get(script) ?? 0) + ms);
}
const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`profile ${file}: ${total.toFixed(0)} ms sampled`);
console.log('\nself time by script:');
for (const [k, v] of rank(scriptTime))
  console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('\nself time by function:');
for (const [k, v] of rank(fnTime))
  console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);

// Total (inclusive) time: every function on a sample's stack gets the sample once.
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map<string, number>();
p.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const f = byId.get(n)?.callFrame;
    if (!f?.url) continue;
    const name = `${f.functionName || '(anonymous)'}  ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    incl.set(name, (incl.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
});
console.log('\ntotal time by function (self + callees):');
for (const [k, v] of rank(incl))
  console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
