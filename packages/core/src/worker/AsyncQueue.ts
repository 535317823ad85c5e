/**
 * A bounded first-in first-out queue between an async producer and an async consumer: `push` waits
 * while the queue is full (backpressure), `shift` waits while it is empty. `close` ends it: pending
 * and later `shift`s get `undefined` once the items left are taken; `fail` makes them reject.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: { resolve: (item: T | undefined) => void; reject: (err: Error) => void }[] = [];
  private readonly givers: (() => void)[] = [];
  private closed = false;
  private error: Error | null = null;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds an item, waiting while `capacity` items are queued. Ignored once closed. */
  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.givers.push(resolve));
    }
    if (this.closed) return;
    const taker = this.takers.shift();
    if (taker) taker.resolve(item);
    else this.items.push(item);
  }

  /** Takes the oldest item, waiting for one; `undefined` once closed and drained. */
  shift(): Promise<T | undefined> {
    if (this.error) return Promise.reject(this.error);
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      this.givers.shift()?.();
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** No more items: waiting consumers get `undefined`, waiting producers return. */
  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t.resolve(undefined);
    for (const g of this.givers.splice(0)) g();
  }

  /** The producer failed: waiting and later consumers get `err`. */
  fail(err: Error): void {
    this.error = err;
    for (const t of this.takers.splice(0)) t.reject(err);
    this.close();
  }
}
