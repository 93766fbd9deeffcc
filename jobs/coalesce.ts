// Marks that many concurrent jobs record as they finish, written together: one statement in
// flight at a time, the next taking every mark that arrived meanwhile. A mark waits at most one
// round trip, and no more marks are outstanding than arrived during it — durability per item
// without a transaction per item.

/** `write` records a batch; the returned function resolves once its item is written. */
export function coalescedWriter<T>(write: (batch: T[]) => Promise<unknown>): (item: T) => Promise<void> {
  let queue: { item: T; done(error?: unknown): void }[] = [];
  let busy = false;
  const flush = async () => {
    busy = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        await write(batch.map((b) => b.item));
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error);
      }
    }
    busy = false;
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, done: (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error)))) });
      if (!busy) void flush();
    });
}
