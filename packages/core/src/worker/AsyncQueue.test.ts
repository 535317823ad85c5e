import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '@oxels/core';

describe('AsyncQueue', () => {
  it('keeps order, bounds the producer and ends on close', async () => {
    const q = new AsyncQueue<number>(2);
    let produced = 0;
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await q.push(i);
        produced++;
      }
      q.close();
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(produced).toBe(2); // full: the third push waits
    const got: (number | undefined)[] = [];
    for (let i = 0; i < 6; i++) got.push(await q.shift());
    await producer;
    expect(got).toEqual([0, 1, 2, 3, 4, undefined]);
  });

  it('passes a producer failure to the consumer', async () => {
    const q = new AsyncQueue<number>(1);
    const waiting = q.shift();
    q.fail(new Error('disk on fire'));
    await expect(waiting).rejects.toThrow('disk on fire');
    await expect(q.shift()).rejects.toThrow('disk on fire');
  });
});
