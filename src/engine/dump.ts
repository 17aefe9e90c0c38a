// Human-readable text dump of a graph, for debugging and for tests that inspect structure.
import { at } from './dtype.js';
import { type Attr, fmtShape, type Graph, type Value } from './graph.js';

const sig = (v: Value | null) => (v ? `${v.name}:${v.dtype}${fmtShape(v.shape)}` : '∅');

function fmtAttr(a: Attr): string {
  if (a.kind === 'ints' || a.kind === 'floats') return `[${a.value.join(',')}]`;
  return a.kind === 'string' ? JSON.stringify(a.value) : String(a.value);
}

/** Counts nodes per op type, most frequent first. */
export function opCensus(g: Graph): [string, number][] {
  const counts = new Map<string, number>();
  for (const n of g.nodes) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** One line per input, initializer, node and output. */
export function dumpGraph(g: Graph, { maxConstValues = 6 } = {}): string {
  const lines = [
    `graph ${g.name}: ${g.inputs.length} inputs, ${g.outputs.length} outputs, ${g.nodes.length} nodes`,
  ];
  lines.push(
    `ops: ${opCensus(g)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ')}`,
  );
  for (const v of g.inputs) lines.push(`input  ${sig(v)}`);
  for (const [name, t] of g.initializers) {
    const n = t.data.length;
    const shown = Array.from({ length: Math.min(n, maxConstValues) }, (_, i) => at(t, i)).join(', ');
    lines.push(
      `const  ${name}:${t.dtype}${fmtShape(t.shape)} = [${shown}${n > maxConstValues ? ', …' : ''}]`,
    );
  }
  for (const n of g.nodes) {
    const attrs = Object.entries(n.attrs).map(([k, a]) => `${k}=${fmtAttr(a)}`);
    const params = Object.entries(n.params).map(([k, v]) => `${k}=[${v.join(',')}]`);
    const extra = [...attrs, ...params].join(' ');
    lines.push(
      `${n.outputs.map(sig).join(', ')} = ${n.op}(${n.inputs.map(sig).join(', ')})${extra ? `  {${extra}}` : ''}`,
    );
  }
  for (const o of g.outputs) lines.push(`output ${sig(o.value)}`);
  return lines.join('\n');
}
