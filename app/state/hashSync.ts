// Keeps the draft config and the URL hash in step without either overwriting the other: the hash is
// written only when the config changed, and a hash the page did not write (a pasted link, back or
// forward) is always adopted, even while runs stream rows into the store.
import type { TrainConfig } from '../../src/rl/config.js';
import { type Decoded, type DecodeOptions, decodeHash, encodeConfig, encodeHash } from './urlConfig';

/** The address bar's hash (with or without the leading '#'), read and replaced without navigating. */
export interface HashIo {
  read(): string;
  replace(hash: string): void;
}

const bare = (h: string): string => h.replace(/^#/, '');

export class HashSync {
  private config: string | null = null; // the config part last written or adopted
  private hash: string | null = null; // the whole hash last written or adopted

  constructor(
    private readonly io: HashIo,
    private readonly defaults: TrainConfig,
    private readonly opts: () => DecodeOptions = () => ({}),
  ) {}

  /** Decodes the address bar's hash (validated, with its problems) and records it as the page's own. */
  adopt(): Decoded {
    const raw = bare(this.io.read());
    const { config, errors } = decodeHash(raw, this.defaults, this.opts());
    this.hash = raw;
    this.config = encodeConfig(config, this.defaults);
    return { config, errors };
  }

  /** True when the bar holds a hash the page neither wrote nor adopted: a link to adopt now. */
  changedOutside(): boolean {
    return bare(this.io.read()) !== this.hash;
  }

  /**
   * Called with the draft on every store update. Writes the hash only when the config differs from
   * what was last written or adopted, and never over a link that arrived since (its hashchange adopts
   * it). Returns whether it wrote.
   */
  write(draft: TrainConfig): boolean {
    const config = encodeConfig(draft, this.defaults);
    if (config === this.config) return false;
    const raw = bare(this.io.read());
    if (this.hash !== null && raw !== this.hash) return false;
    const { extras } = decodeHash(raw, this.defaults, this.opts());
    const next = encodeHash(draft, extras, this.defaults);
    if (next !== raw) this.io.replace(next);
    this.config = config;
    this.hash = bare(this.io.read()); // as the browser holds it
    return true;
  }
}
