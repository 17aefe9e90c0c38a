// Device-resident state (weights, optimiser moments) carried from one run to the next without a
// round trip through JavaScript: each step's outputs become the next step's inputs.
import type { HostTensor } from './dtype.js';
import type { DeviceTensor, Feed, Program, Runtime } from './runtime.js';

export class ResidentState {
  private readonly tensors = new Map<string, DeviceTensor>();

  constructor(private readonly rt: Runtime) {}

  get names(): string[] {
    return [...this.tensors.keys()];
  }

  set(name: string, t: HostTensor): void {
    this.tensors.get(name)?.dispose();
    this.tensors.set(name, this.rt.upload(t));
  }

  /** Drops (and frees) the named tensors. */
  delete(...names: string[]): void {
    for (const n of names) {
      this.tensors.get(n)?.dispose();
      this.tensors.delete(n);
    }
  }

  get(name: string): DeviceTensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`no resident tensor named '${name}' (have: ${this.names.join(', ') || 'none'})`);
    return t;
  }

  /** How many resident tensors live in GPU buffers (all of them on WebGPU after the first step). */
  get onGpuCount(): number {
    return [...this.tensors.values()].filter((t) => t.onGpu).length;
  }

  async read(name: string): Promise<HostTensor> {
    return this.get(name).read();
  }

  /**
   * Writes `block` into resident tensor `name` in place, at `offset` along `axis` (every other
   * dimension equal): how a KV cache takes its new slots without a run rewriting it. With `rows`
   * (axis > 0), destination row r takes block row rows[r] (a prefill shared by rows with the same
   * prompt); block may then have fewer rows. Host-memory tensors only (node-cpu, web-wasm); a GPU
   * buffer cannot be written from here.
   */
  writeAt(name: string, block: HostTensor, axis: number, offset: number, rows?: ArrayLike<number>): void {
    const t = this.get(name);
    if (t.onGpu) throw new Error(`resident tensor '${name}' is a GPU buffer; write it in a graph`);
    const dst = t.ort.data as HostTensor['data'];
    const [ds, bs] = [t.shape, block.shape];
    const rowsOk =
      !rows ||
      (axis > 0 && rows.length === ds[0] && Array.from(rows).every((r) => r >= 0 && r < (bs[0] as number)));
    const ok =
      rowsOk &&
      ds.length === bs.length &&
      ds.every((d, i) =>
        i === axis
          ? offset >= 0 && offset + (bs[i] as number) <= d
          : (i === 0 && rows !== undefined) || d === bs[i],
      );
    if (!ok || block.dtype !== t.dtype)
      throw new Error(
        `cannot write ${block.dtype}[${bs.join(', ')}] into '${name}' ${t.dtype}[${ds.join(', ')}] at ${offset} on axis ${axis}${rows ? ` from rows [${Array.from(rows).join(', ')}]` : ''}`,
      );
    const inner = ds.slice(axis + 1).reduce((a, d) => a * d, 1); // elements per index of `axis`
    const outer = ds.slice(0, axis).reduce((a, d) => a * d, 1);
    const perRow = outer / (ds[0] as number); // outer indices per row (used with `rows`: axis > 0)
    const [n, len] = [bs[axis] as number, ds[axis] as number];
    const run = n * inner; // contiguous elements per outer index
    const src = block.data as Float32Array;
    const out = dst as Float32Array;
    for (let o = 0; o < outer; o++) {
      // With `rows`, destination row r takes source row rows[r] (axis > 0: whole rows move).
      const from = (rows ? (rows[Math.floor(o / perRow)] as number) * perRow + (o % perRow) : o) * run;
      const to = (o * len + offset) * inner;
      // An index loop, not subarray + set: runs are short (one K/V slot: 16 values) and a view per
      // run was most of a decode step's garbage.
      for (let i = 0; i < run; i++) out[to + i] = src[from + i] as number;
    }
  }

  /**
   * Runs `program` with every resident tensor it takes plus `feeds`; for each `[output, input]`
   * in `feedback` the output replaces the resident input. Returns the other outputs on the host.
   */
  async step(
    program: Program,
    feeds: Readonly<Record<string, Feed>>,
    feedback: Readonly<Record<string, string>>,
  ): Promise<Record<string, HostTensor>> {
    const all: Record<string, Feed> = { ...feeds };
    for (const name of program.inputNames) if (!(name in all)) all[name] = this.get(name);
    const out = await program.run(all);
    const host: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      const target = feedback[name];
      if (target) {
        this.tensors.get(target)?.dispose();
        this.tensors.set(target, t);
      } else {
        host[name] = await t.read();
        t.dispose();
      }
    }
    return host;
  }

  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }
}
