import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import { openQueues } from '../workers/queues.ts';
import { openScheduleQueue } from '../workers/schedule.ts';

export type Dashboard = { url: string; queues: string[]; close(): Promise<void> };

/** bull-board on an Express server, over nianbao's queues under `prefix`. */
export async function startDashboard(opts: { redisUrl: string; prefix?: string; port: number; host: string }): Promise<Dashboard> {
  const connection = { url: opts.redisUrl };
  const queues = openQueues({ connection, prefix: opts.prefix });
  const schedule = openScheduleQueue(connection, queues.prefix);
  const all = [queues.crawl, queues.parse, queues.archive, schedule];
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: all.map((q) => new BullMQAdapter(q)),
    // @bull-board/express carries its own copy of @bull-board/api (one patch release apart): the same
    // interface, two declarations, so TypeScript needs telling.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'nianbao queues' } },
  });
  const app = express();
  app.use('/', serverAdapter.getRouter());
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`,
    queues: all.map((q) => q.name),
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
