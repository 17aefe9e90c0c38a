// What a worker sends back when a request throws: the error's name and message, cloneable.
export function errorReply(err: unknown): { name: string; message: string } {
  return err instanceof Error
    ? { name: err.name, message: err.message }
    : { name: 'Error', message: String(err) };
}
