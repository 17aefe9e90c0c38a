// The workers' side of request/reply: each `{ id, type, … }` message goes to `handle`, and its
// result (byte results, bare or as a `bytes` field, transferred, not copied) or error (name and
// message) goes back under the id.

/** The buffers a result can hand over instead of copying: a Uint8Array, or one under `bytes`. */
export function transferables(result: unknown): Transferable[] {
  if (result instanceof Uint8Array) return [result.buffer as ArrayBuffer];
  const bytes = (result as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array ? [bytes.buffer as ArrayBuffer] : [];
}

export function serve<Req>(handle: (id: number, req: Req) => Promise<unknown>): void {
  const post = (msg: unknown, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(msg, transfer);
  self.onmessage = async (e: MessageEvent<{ id: number } & Req>) => {
    const { id, ...req } = e.data;
    try {
      const result = await handle(id, req as Req);
      post({ id, kind: 'result', result }, transferables(result));
    } catch (err) {
      const error =
        err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: 'Error', message: String(err) };
      post({ id, kind: 'error', error });
    }
  };
}
