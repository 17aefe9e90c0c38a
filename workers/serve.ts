// The workers' side of request/reply: each `{ id, type, … }` message goes to `handle`, and its
// result (byte results transferred, not copied) or error (name and message) goes back under the id.
export function serve<Req>(handle: (id: number, req: Req) => Promise<unknown>): void {
  const post = (msg: unknown, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(msg, transfer);
  self.onmessage = async (e: MessageEvent<{ id: number } & Req>) => {
    const { id, ...req } = e.data;
    try {
      const result = await handle(id, req as Req);
      post(
        { id, kind: 'result', result },
        result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [],
      );
    } catch (err) {
      const error =
        err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: 'Error', message: String(err) };
      post({ id, kind: 'error', error });
    }
  };
}
