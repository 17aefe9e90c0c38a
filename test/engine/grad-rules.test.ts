// Checks every backward rule in GRAD_RULES against central finite differences on node-cpu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAD_RULES } from '../../src/engine/autodiff.js';
import { Runtime } from '../../src/engine/runtime.js';
import { GRAD_CASES } from './grad-cases.js';
import { caseGraph, checkCase, type GradReport } from './gradcheck.js';

// Tolerance: per element, |analytic - numeric| <= tol * max(1, |numeric|), numeric being the
// central difference with step eps. float64 cases: eps 1e-6, tol 1e-6 (truncation ~eps^2,
// round-off ~1e-16 * |loss| / eps ~ 1e-9). Cases may override eps/tol; each says why.
// float32 fallback (eps 1e-2, tol 2e-2): only Erf, which has no float64 kernel in onnxruntime-node's
// CPU EP (found empirically: session creation fails with "Could not find an implementation").
// GRADCHECK_REPORT=1 prints the measured max error per case (float64 cases measure ~1e-10..3e-9).

let rt: Runtime;
const reports: [string, GradReport][] = [];

beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

afterAll(() => {
  if (!process.env.GRADCHECK_REPORT) return;
  for (const [name, r] of reports) {
    console.log(`${name.padEnd(60)} maxErr ${r.maxErr.toExponential(2)}  max|g| ${r.maxAbsGrad.toFixed(3)}`);
  }
});

describe('GRAD_RULES coverage', () => {
  it('has at least one gradient-check case for every rule', () => {
    const covered = new Set(GRAD_CASES.map((c) => c.op));
    const missing = Object.keys(GRAD_RULES).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });

  it.each(GRAD_CASES.map((c) => [c.name, c] as const))('case %s exercises its op', (_name, c) => {
    const { graph } = caseGraph(c);
    expect(graph.nodes.map((n) => n.op)).toContain(c.op);
    expect(GRAD_RULES[c.op]).toBeDefined();
  });
});

describe('per-op gradients vs central differences', () => {
  it.each(GRAD_CASES.map((c) => [`${c.op}: ${c.name}`, c] as const))('%s', async (name, c) => {
    const r = await checkCase(rt, c);
    reports.push([name, r]);
    // A zero gradient everywhere would make the comparison vacuous.
    expect(r.maxAbsGrad).toBeGreaterThan(1e-3);
    expect(r.maxErr).toBeLessThanOrEqual(r.tol);
  });
});
