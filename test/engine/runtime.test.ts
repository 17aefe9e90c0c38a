// The runtime seam in Node: backend selection and errors, session reuse, resident state, run queue.
import { beforeAll, describe, expect, it } from 'vitest';
import { hostTensor } from '../../src/engine/dtype.js';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops.js';
import { BackendUnavailableError, Runtime } from '../../src/engine/runtime.js';
import { ResidentState } from '../../src/engine/state.js';
import { nums } from './gradcheck.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

/** new.w = w + inc; total = sum(w) (not fed back). */
function incGraph(inc: number): Uint8Array {
  const g = new Graph(`inc${inc}`);
  const w = g.input('w', 'float32', [3]);
  g.output(op.add(w, inc), 'new.w');
  g.output(op.sum(w), 'total');
  return g.toOnnx();
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('Runtime.create', () => {
  it('node-cpu reports its capabilities, frozen', () => {
    expect(rt.backend).toBe('node-cpu');
    expect(rt.caps).toEqual({
      backend: 'node-cpu',
      requested: 'node-cpu',
      fallbackReason: null,
      threads: 0, // ORT's own choice (one intra-op thread per core)
      crossOriginIsolated: false,
      residentOnGpu: false,
    });
    expect(Object.isFrozen(rt.caps)).toBe(true);
  });

  it("names a backend's capabilities before opening it, as it then opens", async () => {
    expect(Runtime.plannedCaps('node-cpu', 'node-cpu', null)).toEqual(rt.caps);
    const wasm = Runtime.plannedCaps('web-wasm', 'auto', null, { threads: 3 });
    expect([wasm.backend, wasm.requested, wasm.threads, wasm.residentOnGpu]).toEqual([
      'web-wasm',
      'auto',
      3,
      false,
    ]);
    expect(Runtime.plannedCaps('web-wasm', 'auto', null).threads).toBe(1); // Node: not cross-origin isolated
    expect(Object.isFrozen(wasm)).toBe(true);
  });

  it('node-cpu takes a thread count (gcrl repro --jobs runs one thread per run)', async () => {
    const one = await Runtime.create('node-cpu', { threads: 1 });
    expect(one.caps.threads).toBe(1);
    const g = new Graph('add1');
    const x = g.input('x', 'float32', [2]);
    g.output(op.add(x, 1), 'y');
    const prog = await one.compile(g.toOnnx());
    const out = await prog.run({ x: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } });
    expect(Array.from((await out.y?.read())?.data as Float32Array)).toEqual([2, 3]);
  });

  it("'auto' picks node-cpu in Node", async () => {
    const auto = await Runtime.create('auto');
    expect(auto.caps.backend).toBe('node-cpu');
    expect(auto.caps.requested).toBe('auto');
  });

  it("web-wasm runs in Node on onnxruntime-web's WASM build (parity tests use it)", async () => {
    const w = await Runtime.create('web-wasm');
    expect(w.caps.backend).toBe('web-wasm');
    expect(w.caps.threads).toBe(1);
    const p = await w.compile(incGraph(2));
    const out = await p.runHost({ w: hostTensor('float32', [3], [1, 2, 40]) });
    expect(Array.from(out['new.w']?.data as Float32Array)).toEqual([3, 4, 42]);
  });

  it('web-webgpu rejects in Node, with fallback disabled and enabled', async () => {
    const strict = await rejection(Runtime.create('web-webgpu', { fallback: false }));
    expect(strict).toBeInstanceOf(BackendUnavailableError);
    expect((strict as BackendUnavailableError).backend).toBe('web-webgpu');
    expect((strict as BackendUnavailableError).reason).toMatch(/\S/);
    // No fallback to web-wasm in Node: the request itself is the mistake.
    const loose = await rejection(Runtime.create('web-webgpu'));
    expect(loose).toBeInstanceOf(BackendUnavailableError);
    expect((loose as BackendUnavailableError).reason).toMatch(/browser/);
  });
});

describe('compile', () => {
  it('reuses the Program for identical bytes and makes a new one for different bytes', async () => {
    const a = await rt.compile(incGraph(1));
    const b = await rt.compile(incGraph(1));
    const c = await rt.compile(incGraph(2));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(a.inputNames).toEqual(['w']);
    expect([...a.outputNames].sort()).toEqual(['new.w', 'total']);
    const w = hostTensor('float32', [3], [1, 2, 3]);
    expect(nums((await a.runHost({ w }))['new.w'])).toEqual([2, 3, 4]);
    expect(nums((await c.runHost({ w }))['new.w'])).toEqual([3, 4, 5]);
  });

  it('rejects invalid bytes and does not cache the failure', async () => {
    const junk = new Uint8Array([1, 2, 3, 4]);
    const first = rt.compile(junk);
    await expect(first).rejects.toThrow();
    const second = rt.compile(junk);
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow();
    // The queue still works after the failures.
    const p = await rt.compile(incGraph(1));
    expect((await p.runHost({ w: hostTensor('float32', [3], [0, 0, 0]) })).total?.data[0]).toBe(0);
  });

  it('reports a wrong-sized feed before running', async () => {
    const p = await rt.compile(incGraph(1));
    await expect(
      p.runHost({ w: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }),
    ).rejects.toThrow(/2 elements for shape \[3\]/);
  });
});

describe('dispose', () => {
  it('releases every session: old programs refuse to run, a new compile makes a fresh session', async () => {
    const own = await Runtime.create('node-cpu');
    const w = hostTensor('float32', [3], [1, 2, 3]);
    const a = await own.compile(incGraph(1));
    const queued = a.runHost({ w }); // queued before the dispose: it still finishes
    await own.dispose();
    expect(nums((await queued)['new.w'])).toEqual([2, 3, 4]);
    await expect(a.runHost({ w })).rejects.toThrow(/released/);
    const b = await own.compile(incGraph(1));
    expect(b).not.toBe(a);
    expect(nums((await b.runHost({ w }))['new.w'])).toEqual([2, 3, 4]);
    await own.dispose();
    await own.dispose(); // twice is harmless
  });

  it('waits for compiles in flight, a failing one included, and releases those that succeed', async () => {
    const own = await Runtime.create('node-cpu');
    const bad = own.compile(new Uint8Array([1, 2, 3]));
    const ok = own.compile(incGraph(3));
    await own.dispose(); // both still compiling when dispose starts
    await expect(bad).rejects.toThrow();
    await expect((await ok).runHost({ w: hostTensor('float32', [3], [0, 0, 0]) })).rejects.toThrow(
      /released/,
    );
  });
});

describe('ResidentState', () => {
  it('feeds outputs back as inputs across steps and returns the rest on the host', async () => {
    const p = await rt.compile(incGraph(1));
    const state = new ResidentState(rt);
    state.set('w', hostTensor('float32', [3], [1, 2, 3]));
    const totals: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await state.step(p, {}, { 'new.w': 'w' });
      expect(Object.keys(out)).toEqual(['total']);
      totals.push(Number(out.total?.data[0]));
    }
    expect(totals).toEqual([6, 9, 12]); // sum(w) before each step
    expect(nums(await state.read('w'))).toEqual([4, 5, 6]);
    expect(state.names).toEqual(['w']);
    state.dispose();
    expect(state.names).toEqual([]);
    expect(() => state.get('w')).toThrow(/no resident tensor named 'w'/);
  });

  it('explicit feeds take precedence over resident tensors', async () => {
    const p = await rt.compile(incGraph(2));
    const state = new ResidentState(rt);
    state.set('w', hostTensor('float32', [3], [1, 1, 1]));
    const out = await state.step(p, { w: hostTensor('float32', [3], [10, 10, 10]) }, {});
    expect(out.total?.data[0]).toBe(30);
    expect(nums(out['new.w'])).toEqual([12, 12, 12]);
    expect(nums(await state.read('w'))).toEqual([1, 1, 1]);
  });

  it('writeAt puts a block into its slots along an axis, in place, and the next run sees it', async () => {
    const g = new Graph('cache_sum');
    const c = g.input('cache', 'float32', [2, 3, 2]);
    g.output(op.sum(c, [2]), 'rowsum'); // [2, 3]
    const p = await rt.compile(g.toOnnx());
    const state = new ResidentState(rt);
    state.set('cache', hostTensor('float32', [2, 3, 2]));
    state.writeAt('cache', hostTensor('float32', [2, 1, 2], [1, 2, 3, 4]), 1, 1); // slot 1 of 3
    state.writeAt('cache', hostTensor('float32', [2, 1, 2], [5, 6, 7, 8]), 1, 2);
    expect(nums(await state.read('cache'))).toEqual([0, 0, 1, 2, 5, 6, 0, 0, 3, 4, 7, 8]);
    expect(nums((await state.step(p, {}, {})).rowsum)).toEqual([0, 3, 11, 0, 7, 15]);
    expect(() => state.writeAt('cache', hostTensor('float32', [2, 1, 2]), 1, 3)).toThrow(/cannot write/);
    expect(() => state.writeAt('cache', hostTensor('float32', [1, 1, 2]), 1, 0)).toThrow(/cannot write/);
    state.dispose();
  });

  it('delete drops tensors; asking for a missing one names what there is', () => {
    const state = new ResidentState(rt);
    expect(() => state.get('a')).toThrow("no resident tensor named 'a' (have: none)");
    state.set('a', hostTensor('float32', [1]));
    state.set('b', hostTensor('float32', [1]));
    state.delete('a', 'nothing'); // an unknown name is no error
    expect(state.names).toEqual(['b']);
    expect(() => state.get('a')).toThrow("no resident tensor named 'a' (have: b)");
    state.dispose();
  });

  it('writeAt with rows: each destination row takes the block row it names (a shared prefill)', async () => {
    const state = new ResidentState(rt);
    state.set('cache', hostTensor('float32', [3, 2, 3, 1])); // [B=3, H=2, slots=3, hd=1]
    // Two distinct prompts' prefills (2 slots each): rows 0 and 2 share prompt 0, row 1 has prompt 1.
    const block = hostTensor('float32', [2, 2, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8]);
    state.writeAt('cache', block, 2, 0, [0, 1, 0]);
    expect(nums(await state.read('cache'))).toEqual([
      ...[1, 2, 0, 3, 4, 0], // row 0 <- block row 0 (both heads)
      ...[5, 6, 0, 7, 8, 0], // row 1 <- block row 1
      ...[1, 2, 0, 3, 4, 0], // row 2 <- block row 0
    ]);
    const bad =
      (rows: number[], axis = 2) =>
      () =>
        state.writeAt('cache', block, axis, 0, rows);
    expect(bad([0, 1])).toThrow(/from rows \[0, 1\]/); // one entry per destination row
    expect(bad([0, 2, 0])).toThrow(/cannot write/); // block has rows 0 and 1 only
    expect(bad([0, -1, 0])).toThrow(/cannot write/);
    // Along axis 0 rows move whole (no row map): a block that fits without one is refused with one.
    const rowsBlock = hostTensor('float32', [2, 2, 3, 1]);
    state.writeAt('cache', rowsBlock, 0, 1);
    expect(() => state.writeAt('cache', rowsBlock, 0, 1, [0, 1, 0])).toThrow(/cannot write/);
    expect(() => state.writeAt('cache', hostTensor('int32', [2, 2, 2, 1]), 2, 0, [0, 1, 0])).toThrow(
      /cannot write int32/,
    );
    state.dispose();
  });
});

describe('run queue', () => {
  it('runs concurrent requests one at a time, each with its own result', async () => {
    const p = await rt.compile(incGraph(1));
    const runs = Array.from({ length: 16 }, (_, i) =>
      p.runHost({ w: hostTensor('float32', [3], [i, 2 * i, 3 * i]) }),
    );
    const outs = await Promise.all(runs);
    outs.forEach((o, i) => {
      expect(nums(o['new.w'])).toEqual([i + 1, 2 * i + 1, 3 * i + 1]);
      expect(o.total?.data[0]).toBe(6 * i);
    });
  });

  it('never overlaps queued tasks, keeps their order, and survives a failing task', async () => {
    let active = 0;
    let maxActive = 0;
    const order: number[] = [];
    const task = (i: number, fail = false) =>
      rt.enqueue(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 2));
        order.push(i);
        active--;
        if (fail) throw new Error(`task ${i} failed`);
        return i;
      });
    const results = await Promise.allSettled([task(0), task(1, true), task(2), task(3)]);
    expect(maxActive).toBe(1);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
