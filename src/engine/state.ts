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
