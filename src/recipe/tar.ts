// A minimal POSIX ustar writer, so a page can download a whole recipe folder as one file (no dependency).

export interface TarEntry {
  path: string; // relative, '/'-separated
  content: string | Uint8Array;
  mode?: number; // default 0o644
}

const enc = new TextEncoder();
const BLOCK = 512;

function put(h: Uint8Array, at: number, len: number, text: string): void {
  const b = enc.encode(text);
  if (b.length > len) throw new Error(`tar: '${text}' does not fit ${len} bytes`);
  h.set(b, at);
}
const octal = (n: number, len: number): string => `${n.toString(8).padStart(len - 1, '0')}\0`;

/** Splits a path into ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes) at a '/'. */
function splitPath(path: string): [name: string, prefix: string] {
  if (enc.encode(path).length <= 100) return [path, ''];
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return [name, prefix];
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(path: string, size: number, mode: number, mtime: number): Uint8Array {
  if (!path || path.startsWith('/') || path.split('/').includes('..'))
    throw new Error(`tar: unsafe path '${path}'`);
  const h = new Uint8Array(BLOCK);
  const [name, prefix] = splitPath(path);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(mode, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(mtime, 12));
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  put(h, 156, 1, '0');
  put(h, 257, 6, 'ustar\0');
  put(h, 263, 2, '00');
  put(h, 345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  put(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** The entries as one ustar archive (regular files; parent folders are implied by the paths). */
export function tar(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.content === 'string' ? enc.encode(e.content) : e.content;
    parts.push(header(e.path, data.length, e.mode ?? 0o644, Math.floor(mtime)));
    parts.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
