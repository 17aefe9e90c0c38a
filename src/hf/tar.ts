// A minimal POSIX ustar writer and reader: the page downloads an export as one .tar (which
// `tar xf`, macOS Finder and Windows 10+'s tar unpack into the model folder) and reads one back.

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface TarEntry {
  path: string; // '/'-separated, relative
  bytes: Uint8Array;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (s: string, at: number, len: number) => {
    const b = enc.encode(s);
    if (b.length > len) throw new Error(`tar: "${s}" does not fit in ${len} bytes`);
    h.set(b, at);
  };
  let name = path;
  let prefix = '';
  if (enc.encode(path).length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut < 0 || enc.encode(path.slice(cut + 1)).length > 100)
      throw new Error(`tar: path too long: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8); // mode
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8); // checksum placeholder: spaces
  put('0', 156, 1); // regular file
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** The entries as one ustar archive (files only; folders are implied by the paths). */
export function writeTar(entries: readonly TarEntry[], mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  const size = entries.reduce((n, e) => n + BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out.set(header(e.path, e.bytes.length, mtime), at);
    out.set(e.bytes, at + BLOCK);
    at += BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  }
  return out; // ends with two zero blocks
}

const field = (h: Uint8Array, at: number, len: number): string => {
  const s = h.subarray(at, at + len);
  const end = s.indexOf(0);
  return dec.decode(end < 0 ? s : s.subarray(0, end));
};

/** Reads the regular files of a ustar archive; a damaged archive fails naming the entry. */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let at = 0;
  while (at + BLOCK <= bytes.length) {
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const name = field(h, 0, 100);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
    if (sum !== Number.parseInt(field(h, 148, 8).trim(), 8))
      throw new Error(`not a tar file (bad header checksum at "${name}")`);
    const size = Number.parseInt(field(h, 124, 12).trim() || '0', 8);
    const prefix = field(h, 345, 155);
    const type = String.fromCharCode(h[156] as number);
    const end = at + BLOCK + size;
    if (end > bytes.length)
      throw new Error(`tar entry "${name}" is cut off (${size} bytes, ${bytes.length - at - BLOCK} left)`);
    if (type === '0' || type === '\0')
      out.push({ path: prefix ? `${prefix}/${name}` : name, bytes: bytes.slice(at + BLOCK, end) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
