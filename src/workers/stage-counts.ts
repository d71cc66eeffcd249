/** Jobs finished, failed and waiting in one queue; the pipeline reports these and the CLI draws them. */
export type StageCounts = { done: number; failed: number; pending: number };
export type ProgressSnapshot = Record<'crawl' | 'parse' | 'archive', StageCounts>;
