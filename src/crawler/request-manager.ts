import { Request, type AddRequestsBatchedResult, type IRequestManager, type RequestQueueOperationInfo, type Source } from 'crawlee';

// Crawlee's request queues are FIFO (with a "forefront" flag); a county portal is crawled best-first: the
// link whose cues (docs/site-families.md §1) look most like the 年报 column goes next. This adapter plugs a
// caller's own picker into a Crawlee crawler through its `requestManager` option (IRequestManager,
// Crawlee ≥ 3.15): the crawler's AutoscaledPool asks it for the next request, it answers from the picker.
// Requests are only ever added by the caller (never through Crawlee's enqueueLinks), because adding needs
// the link's priority and meaning, which Crawlee's Source has no place for.

export interface Picker<T> {
  /** The next item to crawl, or undefined when none is eligible now. */
  next(): T | undefined;
  /** Items still waiting (including ones `next` may skip). */
  readonly size: number;
}

export const ITEM = 'item';

/** An IRequestManager over a picker of items; each Request carries its item in `userData.item`. */
export class PickerRequestManager<T extends { url: string }> implements IRequestManager {
  private inProgress = 0;
  private handled = 0;
  private total = 0;
  private seq = 0;
  private closed = false;
  private readonly waiting: T[] = []; // reclaimed, or added by addRequest (served first)
  /** Called whenever new work may be ready, so the crawler's pool starts it without waiting for its poll. */
  onWork: (() => void) | null = null;

  constructor(
    private readonly picker: Picker<T>,
    private readonly opts: { signal?: AbortSignal; keepOpen?: boolean } = {},
  ) {}

  /** Tells the manager that the picker received items. */
  notify(): void {
    this.onWork?.();
  }

  /** A manager kept open (a render queue fed while another crawler runs) finishes once closed and drained. */
  close(): void {
    this.closed = true;
    this.onWork?.();
  }

  private get aborted(): boolean {
    return this.opts.signal?.aborted ?? false;
  }

  async isFinished(): Promise<boolean> {
    if (this.inProgress > 0) return false;
    if (this.aborted) return true;
    if (this.opts.keepOpen && !this.closed) return false;
    return this.waiting.length === 0 && this.picker.size === 0;
  }

  async isEmpty(): Promise<boolean> {
    return this.aborted || (this.waiting.length === 0 && this.picker.size === 0);
  }

  async handledCount(): Promise<number> {
    return this.handled;
  }

  getTotalCount(): number {
    return this.total;
  }

  getPendingCount(): number {
    return this.waiting.length + this.picker.size;
  }

  async fetchNextRequest<U extends Record<string, unknown> = Record<string, unknown>>(): Promise<Request<U> | null> {
    if (this.aborted) return null;
    const item = this.waiting.shift() ?? this.picker.next();
    if (!item) return null;
    this.inProgress++;
    this.total++;
    // uniqueKey: one per dispatch, so the same URL may be dispatched again (a render retried, a POST).
    return new Request({ url: item.url, uniqueKey: `${++this.seq}`, userData: { [ITEM]: item } }) as unknown as Request<U>;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Request> {
    for (let r = await this.fetchNextRequest(); r; r = await this.fetchNextRequest()) yield r;
  }

  async markRequestHandled(request: Request): Promise<RequestQueueOperationInfo | null> {
    this.inProgress = Math.max(0, this.inProgress - 1);
    this.handled++;
    return {
      requestId: request.id ?? request.uniqueKey,
      uniqueKey: request.uniqueKey,
      wasAlreadyHandled: false,
      wasAlreadyPresent: true,
      forefront: false,
    };
  }

  async reclaimRequest(request: Request): Promise<RequestQueueOperationInfo | null> {
    this.inProgress = Math.max(0, this.inProgress - 1);
    this.waiting.push(request.userData[ITEM] as T);
    this.notify();
    return {
      requestId: request.id ?? request.uniqueKey,
      uniqueKey: request.uniqueKey,
      wasAlreadyHandled: false,
      wasAlreadyPresent: true,
      forefront: false,
    };
  }

  async addRequest(source: Source): Promise<RequestQueueOperationInfo> {
    const item = (source as { userData?: Record<string, unknown> }).userData?.[ITEM] as T | undefined;
    if (!item)
      throw new Error(
        `PickerRequestManager.addRequest(${(source as { url?: string }).url ?? '?'}): requests are added with their item (userData.${ITEM}), not as bare URLs`,
      );
    this.waiting.push(item);
    this.notify();
    const key = `added-${++this.seq}`;
    return { requestId: key, uniqueKey: key, wasAlreadyHandled: false, wasAlreadyPresent: false, forefront: false };
  }

  async addRequestsBatched(requests: Source[] | string[]): Promise<AddRequestsBatchedResult> {
    const added: RequestQueueOperationInfo[] = [];
    for (const r of requests) added.push(await this.addRequest(r as Source));
    return { addedRequests: added, waitForAllRequestsToBeAdded: Promise.resolve([]) } as unknown as AddRequestsBatchedResult;
  }
}

/** First in, first out: the render queue. */
export class FifoPicker<T> implements Picker<T> {
  private readonly items: T[] = [];
  push(item: T): void {
    this.items.push(item);
  }
  next(): T | undefined {
    return this.items.shift();
  }
  get size(): number {
    return this.items.length;
  }
}
