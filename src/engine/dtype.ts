// Element types the engine knows, with their ONNX codes and typed-array constructors.

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

export type TypedArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** ONNX TensorProto.DataType codes. */
export const ONNX_DTYPE: Readonly<Record<DType, number>> = Object.freeze({
  float32: 1,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
});

export const DTYPE_OF_ONNX: Readonly<Record<number, DType>> = Object.freeze(
  Object.fromEntries(Object.entries(ONNX_DTYPE).map(([k, v]) => [v, k as DType])),
);

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** Allocates a typed array of `n` elements for `dtype`, or copies `values` into one. */
export function typedArray(dtype: DType, values: number | ArrayLike<number> | readonly bigint[]): TypedArray {
  const n = typeof values === 'number' ? values : values.length;
  const src = typeof values === 'number' ? null : values;
  switch (dtype) {
    case 'float32':
      return src ? Float32Array.from(src as ArrayLike<number>) : new Float32Array(n);
    case 'float64':
      return src ? Float64Array.from(src as ArrayLike<number>) : new Float64Array(n);
    case 'int32':
      return src ? Int32Array.from(src as ArrayLike<number>) : new Int32Array(n);
    case 'bool':
      return src ? Uint8Array.from(src as ArrayLike<number>, (v) => (v ? 1 : 0)) : new Uint8Array(n);
    case 'int64': {
      const out = new BigInt64Array(n);
      if (src) for (let i = 0; i < n; i++) out[i] = BigInt((src as ArrayLike<number | bigint>)[i] as number);
      return out;
    }
  }
}

/** A tensor held in host memory: what tests, checkpoints and the CPU see. */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function hostTensor(dtype: DType, shape: readonly number[], values?: ArrayLike<number>): HostTensor {
  const n = numel(shape);
  if (values && values.length !== n) {
    throw new Error(`hostTensor: ${values.length} values for shape [${shape.join(', ')}] (needs ${n})`);
  }
  return { dtype, shape: [...shape], data: typedArray(dtype, values ?? n) };
}

/** Reads element i of any typed array as a JS number. */
export const at = (t: HostTensor, i: number): number => Number(t.data[i]);
