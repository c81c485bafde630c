import { createdAtOf, serialOf } from './keys.ts';

interface Head {
  key: Buffer;
  it: Iterator<Buffer>;
}

const newer = (a: Buffer, b: Buffer): boolean => {
  const ca = createdAtOf(a);
  const cb = createdAtOf(b);
  return ca !== cb ? ca > cb : serialOf(a) > serialOf(b);
};
const older = (a: Buffer, b: Buffer): boolean => newer(b, a);

/**
 * Merges index scans (created_at ‖ serial values, one scan per index key, each already in the
 * wanted order) into one stream, newest or oldest first, reading each scan lazily: a query with
 * limit n reads about n values whatever the key count.
 */
export function* mergeInTimeOrder(scans: Iterable<Buffer>[], newestFirst: boolean): Generator<Buffer> {
  const first = newestFirst ? newer : older;
  if (scans.length === 1) {
    yield* scans[0]!;
    return;
  }
  const heap: Head[] = [];
  const push = (h: Head): void => {
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!first(heap[i]!.key, heap[p]!.key)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && first(heap[l]!.key, heap[m]!.key)) m = l;
        if (r < heap.length && first(heap[r]!.key, heap[m]!.key)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  for (const scan of scans) {
    const it = scan[Symbol.iterator]();
    const first = it.next();
    if (!first.done) push({ key: first.value, it });
  }
  while (heap.length > 0) {
    const head = pop();
    yield head.key;
    const next = head.it.next();
    if (!next.done) push({ key: next.value, it: head.it });
  }
}
