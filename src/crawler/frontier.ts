// Best-first frontier: highest priority first, FIFO among equals (so a list's pages keep their order).

export interface FrontierItem {
  url: string;
  priority: number;
  kind: 'page' | 'attachment';
  /** Area cue score inherited from the page that linked here (10 = inside a 年报 column). */
  context: number;
  discoveredFrom: string | null;
  linkText: string | null;
  /** Attachments: the report page (or list) they hang from; also used as Referer. */
  parentUrl: string | null;
  /** The link itself looked like a report (title) — its landing page or file is a candidate. */
  reportLink: boolean;
  /** Attachment of a page already judged a report. */
  ofReport: boolean;
  depth: number;
  /** A list a previous run left unread (seeded first; a failure to fetch it is recorded again). */
  resume?: boolean;
}

export class Frontier {
  private heap: { item: FrontierItem; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(item: FrontierItem): void {
    this.heap.push({ item, seq: this.seq++ });
    this.up(this.heap.length - 1);
  }

  pop(): FrontierItem | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.down(0);
    }
    return top.item;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.item.priority > y.item.priority || (x.item.priority === y.item.priority && x.seq < y.seq);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      [this.heap[i], this.heap[p]] = [this.heap[p], this.heap[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.before(l, m)) m = l;
      if (r < n && this.before(r, m)) m = r;
      if (m === i) break;
      [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
      i = m;
    }
  }
}
