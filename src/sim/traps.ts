// Traps for connections off the allow list (the chaos suite, issue 12): TCP listeners on loopback ports
// and addresses no site is on, and a UDP socket a script-built page aims WebRTC at. The simulated web
// links to them, redirects to them and fetches them from scripts (server.ts, `traps` option); a crawler
// that keeps to its allow list (scheme, host and port) never reaches one. Every TCP connection and UDP
// datagram they receive is counted.
import dgram from 'node:dgram';
import net from 'node:net';

export interface TrapTargets {
  /** `host:port` of each TCP trap (127.0.0.1, 127.0.0.2, 127.0.0.3 on ports no site uses) */
  tcp: string[];
  /** `host:port` of the UDP trap (a STUN/TURN server as far as a page's RTCPeerConnection knows) */
  udp: string;
}

export interface TrapCounts {
  tcp: number;
  udp: number;
  /** per `host:port`, with the first bytes of the first few things that arrived */
  byTarget: Record<string, number>;
  samples: string[];
}

export interface Traps extends TrapTargets {
  counts(): TrapCounts;
  close(): Promise<void>;
}

const TCP_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const UDP_HOST = '127.0.0.2';
// What a misled crawler would find there: a page that looks like a report, so it would be kept.
const BAIT =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>2023年政府信息公开工作年度报告</title></head><body><h1>2023年政府信息公开工作年度报告</h1></body></html>';

export async function startTraps(): Promise<Traps> {
  const byTarget: Record<string, number> = {};
  const samples: string[] = [];
  let tcp = 0;
  let udp = 0;
  const sample = (target: string, data: Buffer) => {
    if (samples.length < 10) samples.push(`${target}: ${data.subarray(0, 80).toString('latin1').replace(/\s+/g, ' ')}`);
  };
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const targets: string[] = [];
  for (const host of TCP_HOSTS) {
    const server = net.createServer((s) => {
      const target = `${host}:${(server.address() as net.AddressInfo).port}`;
      tcp++;
      byTarget[target] = (byTarget[target] ?? 0) + 1;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
      s.once('data', (d: Buffer) => {
        sample(target, d);
        s.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(BAIT)}\r\nConnection: close\r\n\r\n${BAIT}`,
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    servers.push(server);
    targets.push(`${host}:${(server.address() as net.AddressInfo).port}`);
  }
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, UDP_HOST, () => resolve());
  });
  const udpTarget = `${UDP_HOST}:${sock.address().port}`;
  sock.on('message', (m) => {
    udp++;
    byTarget[`udp ${udpTarget}`] = (byTarget[`udp ${udpTarget}`] ?? 0) + 1;
    sample(`udp ${udpTarget}`, m);
  });
  return {
    tcp: targets,
    udp: udpTarget,
    counts: () => ({ tcp, udp, byTarget: { ...byTarget }, samples: [...samples] }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      await new Promise<void>((r) => sock.close(() => r()));
    },
  };
}

/** The trap a request target hits: its own `host:port`, or any host (a simulated one included) on a trap's port. */
export function trapFor(traps: TrapTargets, target: URL): string | null {
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const exact = `${target.hostname}:${port}`;
  if (traps.tcp.includes(exact)) return exact;
  return traps.tcp.find((t) => t.endsWith(`:${port}`)) ?? null;
}

/** Links a county home page carries to the traps: titled as reports, so a crawler wants them. */
export function trapLinks(traps: TrapTargets, siteHost: string): string {
  const [a, b, c] = traps.tcp;
  const portOf = (t: string) => t.split(':')[1];
  return `<div class="nb-trap">
<a href="http://${a}/xxgk/2023nb.html">2023年政府信息公开工作年度报告</a>
<a href="http://${siteHost}:${portOf(b!)}/xxgk/2022nb.html">2022年政府信息公开工作年度报告</a>
<a href="https://${siteHost}:${portOf(c!)}/xxgk/2021nb.html">2021年政府信息公开工作年度报告</a>
<a href="/__trap/redirect.html">2020年政府信息公开工作年度报告</a>
</div>`;
}

/** The redirect target of `/__trap/redirect.html`: an address no site is on. */
export function trapRedirect(traps: TrapTargets): string {
  return `http://${traps.tcp[2]}/xxgk/2020nb.html`;
}

/**
 * A script for pages that build themselves: fetches and an image from trap addresses, a WebSocket, a
 * beacon, and an RTCPeerConnection whose STUN and TURN servers are the UDP trap (ICE gathering sends
 * binding requests there unless the browser keeps WebRTC off non-proxied UDP).
 */
export function trapScript(traps: TrapTargets, siteHost: string): string {
  const [a, b, c] = traps.tcp;
  const portOf = (t: string) => t.split(':')[1];
  return `<script>
(function () {
  try { fetch('http://${a}/api/list', { mode: 'no-cors' }).catch(function () {}); } catch (e) {}
  try { fetch('http://${siteHost}:${portOf(b!)}/api/list', { method: 'POST', mode: 'no-cors', body: '{}' }).catch(function () {}); } catch (e) {}
  try { new Image().src = 'http://${c}/pixel.gif'; } catch (e) {}
  try { navigator.sendBeacon && navigator.sendBeacon('http://${b}/beacon', 'x'); } catch (e) {}
  try { var ws = new WebSocket('ws://${a}/ws'); ws.onerror = function () {}; } catch (e) {}
  try {
    var pc = new RTCPeerConnection({ iceServers: [
      { urls: 'stun:${traps.udp}' },
      { urls: 'turn:${traps.udp}?transport=udp', username: 'nb', credential: 'nb' }
    ] });
    pc.createDataChannel('nb');
    pc.onicecandidate = function () {};
    pc.createOffer().then(function (o) { return pc.setLocalDescription(o); }).catch(function () {});
  } catch (e) {}
})();
</script>`;
}
