import { Configuration, LocalEventManager } from 'crawlee';
import { describe, expect, it } from 'vitest';
import { memoryConfiguration } from '../../../src/crawler/rendering.ts';

/** systemInfo events seen within `ms` of the event manager's start. */
async function systemInfoEvents(config: Configuration, ms: number): Promise<number> {
  const events = config.getEventManager();
  let n = 0;
  events.on('systemInfo', () => n++);
  await events.init();
  await new Promise((r) => setTimeout(r, ms));
  await events.close();
  return n;
}

describe("the crawlers' Crawlee configuration", () => {
  // Crawlee's stock manager measures the machine (spawning `ps`) at once and every second, per crawler: with
  // dozens of site crawls at once that was a third of the crawl's main thread. Concurrency is fixed here.
  it('never measures the machine for autoscaling, where a stock configuration does at once', async () => {
    const stock = new Configuration({ systemInfoIntervalMillis: 200 });
    stock.useEventManager(new LocalEventManager(stock));
    expect(await systemInfoEvents(stock, 1500)).toBeGreaterThan(0);
    expect(await systemInfoEvents(memoryConfiguration(), 1500)).toBe(0);
  });

  it('still persists state on its interval (sessions and statistics listen to it)', async () => {
    const config = memoryConfiguration();
    const events = config.getEventManager();
    let persisted = 0;
    events.on('persistState', () => persisted++);
    await events.init();
    expect(events.isInitialized()).toBe(true);
    await events.close();
    expect(persisted).toBeGreaterThan(0);
  });
});
