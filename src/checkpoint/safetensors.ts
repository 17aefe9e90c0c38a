// Hugging Face safetensors, read and written in pure TypeScript (Uint8Array/DataView/TextEncoder only), so
// the same code runs in Node and in browsers. Layout (https://huggingface.co/docs/safetensors):
//   u64 little-endian N | N bytes of UTF-8 JSON header (space-padded to 8-byte alignment) | data section
// header: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, "__metadata__": {..} }
// Offsets are relative to the data section; tensors are contiguous and stored little-endian.
import { type DType, type HostTensor, numel, type TypedArray } from '../engine/dtype.js';

/** A malformed, truncated or mismatched checkpoint (or weights file). The message says what is wrong. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** safetensors dtype tag and element size for each engine dtype. */
export const SAFETENSORS_DTYPE: Readonly<Record<DType, { readonly tag: string; readonly size: number }>> =
  Object.freeze({
    float32: { tag: 'F32', size: 4 },
    float64: { tag: 'F64', size: 8 },
    int32: { tag: 'I32', size: 4 },
    int64: { tag: 'I64', size: 8 },
    bool: { tag: 'BOOL', size: 1 },
  });

const DTYPE_OF_TAG: ReadonlyMap<string, DType> = new Map(
  (Object.entries(SAFETENSORS_DTYPE) as [DType, { tag: string }][]).map(([d, { tag }]) => [tag, d]),
);

/** Tags the safetensors spec defines that this engine has no dtype for. */
const UNSUPPORTED_TAGS = new Set([
  'F16',
  'BF16',
  'F8_E4M3',
  'F8_E5M2',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'E8M0',
  'I8',
  'U8',
  'I16',
  'U16',
  'U32',
  'U64',
  'C64',
]);

/** The header size limit the reference implementation enforces (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const fmtShape = (s: readonly number[]): string => `[${s.join(', ')}]`;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reverses the byte order of each `size`-byte element in place (only used on big-endian hosts). */
function swapBytes(u8: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < u8.length; i += size) u8.subarray(i, i + size).reverse();
}

function expectedArrayType(dtype: DType, data: TypedArray): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'int64':
      return data instanceof BigInt64Array;
    case 'bool':
      return data instanceof Uint8Array;
  }
}

function checkTensorForWrite(name: string, t: HostTensor): void {
  if (name === '') throw new CheckpointError('cannot write a tensor with an empty name');
  if (name === METADATA_KEY)
    throw new CheckpointError(`"${METADATA_KEY}" is reserved and cannot name a tensor`);
  if (!(t.dtype in SAFETENSORS_DTYPE)) {
    throw new CheckpointError(`tensor "${name}": unknown dtype ${String(t.dtype)}`);
  }
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new CheckpointError(
      `tensor "${name}": shape ${JSON.stringify(t.shape)} is not a list of sizes ≥ 0`,
    );
  }
  if (!expectedArrayType(t.dtype, t.data)) {
    throw new CheckpointError(
      `tensor "${name}": ${t.dtype} data is a ${t.data?.constructor?.name ?? typeof t.data}`,
    );
  }
  const n = numel(t.shape);
  if (t.data.length !== n) {
    throw new CheckpointError(
      `tensor "${name}": ${t.data.length} elements for shape ${fmtShape(t.shape)} (needs ${n})`,
    );
  }
  if (t.dtype === 'bool') {
    const i = (t.data as Uint8Array).findIndex((v) => v > 1);
    if (i >= 0)
      throw new CheckpointError(`tensor "${name}": bool element ${i} is ${t.data[i]} (must be 0 or 1)`);
  }
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file. Tensors are laid out contiguously in
 * name order; the header is padded with spaces to 8-byte alignment; data is little-endian.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, HostTensor> | Readonly<Record<string, HostTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const entries: [string, HostTensor][] =
    tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors as Record<string, HostTensor>);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) throw new CheckpointError('metadata must be an object of strings');
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new CheckpointError(
          `metadata "${k}" is a ${typeof v}; safetensors metadata values must be strings`,
        );
      }
    }
    header[METADATA_KEY] = { ...metadata };
  }
  let offset = 0;
  for (const [name, t] of entries) {
    checkTensorForWrite(name, t);
    const end = offset + t.data.byteLength;
    header[name] = {
      dtype: SAFETENSORS_DTYPE[t.dtype].tag,
      shape: [...t.shape],
      data_offsets: [offset, end],
    };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  const dataStart = 8 + headerLen;
  offset = 0;
  for (const [, t] of entries) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(src, dataStart + offset);
    if (!LITTLE_ENDIAN)
      swapBytes(out.subarray(dataStart + offset, dataStart + offset + src.length), src.length);
    offset += src.length;
  }
  return out;
}

interface RawEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, v: unknown, dataLen: number): RawEntry {
  const where = `tensor "${name}"`;
  if (name === '') throw new CheckpointError('header has a tensor with an empty name');
  if (!isPlainObject(v)) throw new CheckpointError(`${where}: header entry is not an object`);
  for (const k of Object.keys(v)) {
    if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') {
      throw new CheckpointError(`${where}: unknown header field "${k}"`);
    }
  }
  const tag = v.dtype;
  if (typeof tag !== 'string') throw new CheckpointError(`${where}: dtype is missing or not a string`);
  const dtype = DTYPE_OF_TAG.get(tag);
  if (dtype === undefined) {
    const known = [...DTYPE_OF_TAG.keys()].join(', ');
    throw new CheckpointError(
      UNSUPPORTED_TAGS.has(tag)
        ? `${where}: unsupported dtype ${tag} (supported: ${known})`
        : `${where}: unknown dtype ${JSON.stringify(tag)} (supported: ${known})`,
    );
  }
  const shape = v.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new CheckpointError(`${where}: shape ${JSON.stringify(shape)} is not a list of integers ≥ 0`);
  }
  const offs = v.data_offsets;
  if (
    !Array.isArray(offs) ||
    offs.length !== 2 ||
    !offs.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offs[0] > offs[1]
  ) {
    throw new CheckpointError(
      `${where}: data_offsets ${JSON.stringify(offs)} is not [begin, end] with 0 ≤ begin ≤ end`,
    );
  }
  const [begin, end] = offs as [number, number];
  if (end > dataLen) {
    throw new CheckpointError(
      `${where}: data_offsets [${begin}, ${end}] out of range (data section is ${dataLen} bytes)`,
    );
  }
  const need = numel(shape) * SAFETENSORS_DTYPE[dtype].size;
  if (end - begin !== need) {
    throw new CheckpointError(
      `${where}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${tag}${fmtShape(shape)} needs ${need}`,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

function toTypedArray(dtype: DType, bytes: Uint8Array): TypedArray {
  // bytes is a fresh copy starting at offset 0 of its own buffer, hence aligned for any element size.
  const n = bytes.length / SAFETENSORS_DTYPE[dtype].size;
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes.buffer, 0, n);
    case 'float64':
      return new Float64Array(bytes.buffer, 0, n);
    case 'int32':
      return new Int32Array(bytes.buffer, 0, n);
    case 'int64':
      return new BigInt64Array(bytes.buffer, 0, n);
    case 'bool':
      return bytes;
  }
}

/**
 * Decodes and validates a safetensors file. Every tensor's data is copied into its own aligned typed array.
 * Throws CheckpointError for truncated files, bad headers, unknown dtypes, offsets that are out of range,
 * overlapping, not contiguous or inconsistent with shape × dtype size.
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, HostTensor>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array)) throw new CheckpointError('safetensors input must be a Uint8Array');
  if (bytes.length < 8) {
    throw new CheckpointError(`file too short: ${bytes.length} bytes, a safetensors file needs at least 8`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8)) {
    throw new CheckpointError(
      `header length ${n64} goes beyond the end of the file (${bytes.length - 8} bytes after the length prefix); ` +
        'the file is truncated or not safetensors',
    );
  }
  const headerLen = Number(n64);
  if (headerLen > MAX_HEADER_BYTES) {
    throw new CheckpointError(`header length ${headerLen} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (headerLen < 2) throw new CheckpointError(`header length ${headerLen} is too small for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw new CheckpointError('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new CheckpointError('header is not JSON: it does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`header is not JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(header)) throw new CheckpointError('header is not a JSON object');

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: RawEntry[] = [];
  for (const [name, v] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isPlainObject(v)) throw new CheckpointError(`${METADATA_KEY} is not an object`);
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== 'string') throw new CheckpointError(`${METADATA_KEY}["${k}"] is not a string`);
        metadata[k] = s;
      }
      continue;
    }
    entries.push(parseEntry(name, v, dataLen));
  }

  // Contiguity: sorted by offset, the tensors must tile the data section exactly.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: RawEntry | undefined;
  for (const e of entries) {
    if (e.begin < pos && prev) {
      throw new CheckpointError(
        `tensors "${prev.name}" [${prev.begin}, ${prev.end}] and "${e.name}" [${e.begin}, ${e.end}] overlap`,
      );
    }
    if (e.begin > pos) {
      throw new CheckpointError(
        `data is not contiguous: bytes [${pos}, ${e.begin}) before tensor "${e.name}" belong to no tensor`,
      );
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLen) {
    throw new CheckpointError(
      `data is not contiguous: the tensors cover ${pos} bytes but the data section has ${dataLen} ` +
        `(${dataLen - pos} trailing bytes)`,
    );
  }

  const tensors = new Map<string, HostTensor>();
  for (const e of entries) {
    // A fresh ArrayBuffer per tensor (not bytes.slice: Node's Buffer.slice returns a view, not a copy).
    const raw = new Uint8Array(e.end - e.begin);
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN) swapBytes(raw, SAFETENSORS_DTYPE[e.dtype].size);
    if (e.dtype === 'bool') {
      const i = raw.findIndex((b) => b > 1);
      if (i >= 0)
        throw new CheckpointError(`tensor "${e.name}": BOOL element ${i} is ${raw[i]} (must be 0 or 1)`);
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: toTypedArray(e.dtype, raw) });
  }
  return { tensors, metadata };
}
