import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLACKHOLE_PROXY, CHROMIUM_ARGS } from '../../../src/crawler/rendering.ts';
import { startSimWeb, startTraps, viaSimProxy, type SimWeb, type Traps } from '../../../src/sim/index.ts';

// The chaos suite's "0 connections off the allow list" means something only if the traps do count what
// reaches them: each way the simulated web points at them is followed here by hand, and a browser without
// nianbao's WebRTC flags is shown to send datagrams to the UDP trap that nianbao's browser does not send.

let traps: Traps;
let sim: SimWeb;
beforeAll(async () => {
  traps = await startTraps();
  sim = await startSimWeb({ seed: 1, port: 0, traps });
});
afterAll(async () => {
  await sim?.close();
  await traps?.close();
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('trap listeners', () => {
  it('home pages link to them, a redirect points at one, and the proxy forwards their addresses and ports to them', async () => {
    const site = sim.sites.find((s) => s.id === 'yuanbao')!;
    const home = (await viaSimProxy(sim.proxyUrl, site.home)).body.toString('utf8');
    for (const t of traps.tcp.slice(0, 1)) expect(home).toContain(`http://${t}/`);
    const host = new URL(site.home).host;
    expect(home).toContain(`http://${host}:${traps.tcp[1]!.split(':')[1]}/`);
    expect(home).toContain('/__trap/redirect.html');
    const redirect = await viaSimProxy(sim.proxyUrl, new URL('/__trap/redirect.html', site.home).href);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toContain(traps.tcp[2]);

    const before = traps.counts().tcp;
    const direct = await viaSimProxy(sim.proxyUrl, `http://${traps.tcp[0]}/x`);
    expect(direct.status).toBe(200);
    // A simulated host on a trap's port is the trap too (an allowed host's other service).
    await viaSimProxy(sim.proxyUrl, `http://${host}:${traps.tcp[1]!.split(':')[1]}/x`);
    expect(traps.counts().tcp).toBe(before + 2);
  });

  it('a script-built page aims WebRTC at the UDP trap: datagrams arrive without the flags, none with them', async () => {
    const site = sim.sites.find((s) => s.id === 'yuanbao')!;
    const list = (await viaSimProxy(sim.proxyUrl, site.home)).body.toString('utf8');
    // Any page of the site that builds itself: the column shell of the jslist family.
    const shell = /href="([^"]*\/xxgk\/[^"]+\/index\.html)"/.exec(list)?.[1];
    expect(shell).toBeTruthy();
    const shellUrl = new URL(shell!, site.home).href;
    const page = (await viaSimProxy(sim.proxyUrl, shellUrl)).body.toString('utf8');
    expect(page).toContain(`stun:${traps.udp}`);

    const udpAfter = async (args: string[]) => {
      const before = traps.counts().udp;
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args,
        proxy: { server: sim.proxyUrl },
      });
      try {
        const p = await browser.newPage();
        await p.goto(shellUrl, { waitUntil: 'load', timeout: 30_000 });
        await wait(3000);
      } finally {
        await browser.close();
      }
      return traps.counts().udp - before;
    };
    // Plain Chromium (only what it needs to run here): ICE gathering sends STUN binding requests.
    expect(await udpAfter(['--no-sandbox', '--disable-gpu'])).toBeGreaterThan(0);
    // nianbao's browser: no datagram (the proxy is the blackhole nianbao uses; the page's own HTML comes
    // from a route here, as in the crawler).
    const before = traps.counts();
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      proxy: { server: BLACKHOLE_PROXY },
    });
    try {
      const p = await browser.newPage();
      await p.route('**/*', (r) => (r.request().url() === shellUrl ? r.fulfill({ body: page, contentType: 'text/html' }) : r.abort()));
      await p.goto(shellUrl, { waitUntil: 'load', timeout: 30_000 });
      await wait(3000);
    } finally {
      await browser.close();
    }
    expect(traps.counts().udp - before.udp).toBe(0);
    expect(traps.counts().tcp - before.tcp).toBe(0);
  }, 120_000);
});
