// Chaos suite (`npm run chaos`, short form `npm run chaos -- --short`): faults an operator and an
// attacker would bring, all on loopback (the simulated web of src/sim, a private redis-server):
//   kill     SIGKILL crawl and parse workers at random moments (100 in the full form), restart them
//   redis    restart Redis mid-crawl (SIGTERM, same port and append-only file), workers reconnect
//   writer   SIGKILL the archive writer mid-transaction, restart it
//   disk     the archive on a small tmpfs that fills mid-crawl, then grows (needs root for mount)
//   hostile  1,000 generated hostile documents (bombs, huge images, deep nesting, huge pages, noise,
//            lying charsets, random mutations of the real reports in test/fixtures/reports)
//   cpu-hog  a busy loop on every core during a crawl with the browser (the 14 demo sites; short form: one
//            script-built site): a busy machine must slow the crawl, not shrink it
// Every crawl runs with trap listeners (src/sim/traps.ts) on other loopback ports and addresses and a UDP
// socket that script-built pages aim WebRTC at; the pages link, redirect and script to them. Every TCP
// connection and datagram they receive is a connection off the allow list.
// Per fault it prints runs, reports lost, duplicated, integrity_check, crashes, peak RSS and the longest
// parse, then the connections off the allow list, and exits 1 on any loss, duplicate, crash, hang over the
// limit, RSS over the cap, or connection off the allow list.
// Caps: every document ≤ 30 s wall clock (PARSE_TIMEOUT_MS) and the parsing process ≤ 1 GB RSS (RSS_CAP_MB).
// Options: --short, --only kill,redis,writer,disk,hostile,cpu-hog, --seed N, --keep (keep the temp folder).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { scoreAgainstManifest } from '../src/cli/commands/demo.ts';
import { DocumentError } from '../src/documents/errors.ts';
import { ParseSandbox } from '../src/documents/sandbox.ts';
import { simSiteList, startSimWeb, startTraps, type SimWeb, type Traps } from '../src/sim/index.ts';
import { Archive } from '../src/store/archive.ts';
import { publishCrawlRun } from '../src/workers/crawl-context.ts';
import { startPipeline } from '../src/workers/pipeline.ts';
import { enqueueCrawl, openQueues, pendingCount, QUEUE_NAMES, sleep } from '../src/workers/queues.ts';
import { freePort, waitForPing } from '../src/workers/redis.ts';
import * as H from '../test/unit/documents/hostile-inputs.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PARSE_TIMEOUT_MS = 30_000;
const RSS_CAP_MB = 1024;
// Sites of three CMS families with neither scans (OCR would dominate) nor script-built lists (no Chromium).
const SITES_FULL = ['jiangle', 'lintao', 'maqin'];
const SITES_SHORT = ['maqin'];
// The CPU-hog crawl runs with the browser: every demo site (full form), or one script-built list site.
const HOG_SITES_SHORT = ['yuanbao'];

type Row = {
  fault: string;
  runs: number;
  lost: number;
  duplicated: number;
  integrity: string;
  crashes: number;
  peakRssMb: number;
  longestParseMs: number | null;
  /** TCP connections and UDP datagrams the traps received during this fault */
  offList?: { tcp: number; udp: number };
  notes: string[];
  failed: string[];
};

// ---------------------------------------------------------------- child role: the archive writer
async function runWriterRole(file: string, prefix: string): Promise<void> {
  const archive = Archive.open(file);
  const pipeline = startPipeline({ redisUrl: process.env.REDIS_URL!, prefix, archive, roles: { archive: true } });
  const stop = async () => {
    await pipeline.close();
    archive.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await new Promise(() => {});
}

// ---------------------------------------------------------------- helpers
function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    short: a.includes('--short'),
    keep: a.includes('--keep'),
    only: get('--only')?.split(',') ?? null,
    seed: Number(get('--seed') ?? 12),
    role: get('--role'),
    archive: get('--archive'),
    prefix: get('--prefix'),
    manifest: get('--manifest'),
  };
}

/** Peak resident set of a live process so far (the kernel's high-water mark, no sampling gaps). */
function rssMbOf(pid: number | undefined | 'self'): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

class RedisServer {
  child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.child = spawn(
      process.env.NIANBAO_REDIS_SERVER ?? 'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    await waitForPing(this.url, 15_000);
  }
  /** A restart as an operator does one: SIGTERM (the server flushes its append-only file), then start. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }
  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
  }
}

type Role = 'crawl' | 'parse' | 'writer';

/** The pipeline's processes: crawl and parse workers through the real CLI, the writer through this script. */
class Fleet {
  readonly procs = new Map<Role, ChildProcess>();
  private logs = new Map<Role, string>();
  private killed = new Set<number>();
  crashes = 0;
  peakRssMb = 0;
  private spawned = 0;
  constructor(
    readonly dir: string,
    readonly redisUrl: string,
    readonly prefix: string,
    readonly archiveFile: string,
    readonly browser = false,
  ) {}

  start(role: Role): ChildProcess {
    const logFile = path.join(this.dir, `${role}-${++this.spawned}.log`);
    this.logs.set(role, logFile);
    const log = openSync(logFile, 'w');
    const cmd =
      role === 'writer'
        ? [
            '--import',
            'tsx',
            path.join(ROOT, 'scripts/chaos.ts'),
            '--role',
            'writer',
            '--archive',
            this.archiveFile,
            '--prefix',
            this.prefix,
          ]
        : [
            path.join(ROOT, 'bin/nianbao.js'),
            'work',
            `--${role}`,
            '--prefix',
            this.prefix,
            ...(this.browser ? [] : ['--no-browser']),
            '--concurrency',
            '2',
          ];
    const child = spawn(process.execPath, cmd, {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: this.redisUrl,
        // Faster recovery than production (20 s / 5 s) so a run with dozens of kills ends in minutes;
        // and no cap on stalls: a job killed a dozen times in one run must still be finished, once.
        NIANBAO_LOCK_MS: '6000',
        NIANBAO_STALLED_MS: '1000',
        NIANBAO_MAX_STALLED: '1000',
        NIANBAO_PARSE_TIMEOUT_MS: String(PARSE_TIMEOUT_MS),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', log, log],
    });
    child.once('exit', (code, signal) => {
      if (child.pid && this.killed.has(child.pid)) return;
      if (this.stopping) return;
      this.crashes++;
      console.error(`  ! ${role} worker exited on its own (${signal ?? code}); see ${this.dir}`);
      if (this.procs.get(role) === child) this.start(role);
    });
    this.procs.set(role, child);
    return child;
  }

  stopping = false;

  async kill(role: Role, respawnAfterMs: number): Promise<void> {
    const c = this.procs.get(role);
    if (!c || c.exitCode !== null || !c.pid) return;
    this.killed.add(c.pid);
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
    await sleep(respawnAfterMs);
    if (!this.stopping) this.start(role);
  }

  /** Every crawl and parse worker has started (it connected to Redis and said so). */
  running(): boolean {
    return (['crawl', 'parse'] as Role[]).every((r) => {
      try {
        return readFileSync(this.logs.get(r)!, 'utf8').includes('workers running');
      } catch {
        return false;
      }
    });
  }

  sampleRss(): void {
    for (const c of this.procs.values()) this.peakRssMb = Math.max(this.peakRssMb, rssMbOf(c.pid));
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.procs.values()].map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(t);
      }),
    );
  }
}

type PipelineFault = {
  /** Called every ~100 ms with the seconds since the crawl started; returns when its faults are all done. */
  tick(ctx: FaultContext): Promise<boolean>;
  /** Undoes what the fault left running (called once the run ends, however it ends). */
  stop?(): Promise<void>;
};
type FaultContext = {
  t: number;
  fleet: Fleet;
  redis: RedisServer;
  rand: () => number;
  archiveDir: string;
  runDir: string;
  notes: string[];
};

/** One crawl run of `sites` into a fresh archive through separate worker processes, with a fault. */
async function pipelineRun(
  sim: SimWeb,
  work: string,
  label: string,
  siteIds: string[],
  fault: PipelineFault,
  seed: number,
  opts: { archiveDir?: string; browser?: boolean; traps?: Traps } = {},
) {
  const trapsBefore = opts.traps?.counts();
  const dir = mkdtempSync(path.join(work, `${label}-`));
  const archiveDir = opts.archiveDir ?? dir;
  const file = path.join(archiveDir, 'chaos.sqlite');
  const redis = new RedisServer(await freePort(), path.join(dir, 'redis'));
  await redis.start();
  const prefix = `chaos-${label}`;
  const list = simSiteList(sim.sites);
  const sites = list.sites.filter((s) => siteIds.includes(s.id));
  const archive = Archive.open(file);
  for (const s of sites) archive.upsertSite(s);
  const crawlRunId = archive.startCrawlRun({ chaos: label });
  archive.close();
  await publishCrawlRun(redis.url, crawlRunId, { defaults: list.defaults, proxyUrl: sim.proxyUrl }, sites, prefix);

  const fleet = new Fleet(dir, redis.url, prefix, file, opts.browser);
  fleet.start('writer');
  fleet.start('crawl');
  fleet.start('parse');
  const queues = openQueues({ connection: { url: redis.url, maxRetriesPerRequest: null } as never, prefix });
  // Refused connections while Redis restarts are expected; the polling below retries.
  for (const q of QUEUE_NAMES) queues[q].on('error', () => {});
  const notes: string[] = [];
  const rand = H.rng(seed);
  const t0 = Date.now();
  let hang = false;
  try {
    for (const s of sites) await enqueueCrawl(queues, { siteId: s.id, crawlRunId });
    let faultsDone = false;
    let empty = 0;
    const limitMs = 15 * 60_000;
    while (true) {
      fleet.sampleRss();
      const t = (Date.now() - t0) / 1000;
      if (!faultsDone) faultsDone = await fault.tick({ t, fleet, redis, rand, archiveDir, runDir: dir, notes });
      if (faultsDone) {
        let pending = -1;
        try {
          pending = 0;
          for (const q of QUEUE_NAMES) pending += await pendingCount(queues[q]);
        } catch {
          pending = -1; // Redis restarting
        }
        empty = pending === 0 ? empty + 1 : 0;
        if (empty >= 20) break; // 2 s of empty queues
      }
      if (Date.now() - t0 > limitMs) {
        hang = true;
        notes.push(`did not finish within ${limitMs / 60000} min`);
        break;
      }
      await sleep(100);
    }
    const failed: Record<string, number> = {};
    for (const q of QUEUE_NAMES) failed[q] = await queues[q].getFailedCount();
    const failedTotal = Object.values(failed).reduce((a, b) => a + b, 0);
    if (failedTotal) notes.push(`failed jobs ${JSON.stringify(failed)}`);
  } finally {
    await fault.stop?.();
    await fleet.stopAll();
    await Promise.all(QUEUE_NAMES.map((q) => queues[q].close().catch(() => {})));
    await redis.stop();
  }
  const check = Archive.open(file);
  try {
    const score = scoreAgainstManifest(check, sim.manifest, new Set(siteIds));
    const integrity = (check.db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    const trapsAfter = opts.traps?.counts();
    return {
      expected: score.expected,
      decoys: score.decoysArchived.length,
      offList: trapsBefore && trapsAfter ? { tcp: trapsAfter.tcp - trapsBefore.tcp, udp: trapsAfter.udp - trapsBefore.udp } : undefined,
      trapSamples: trapsAfter?.samples.slice(trapsBefore?.samples.length ?? 0) ?? [],
      lost: score.missing.length,
      duplicated: score.duplicates,
      integrity,
      crashes: fleet.crashes,
      peakRssMb: fleet.peakRssMb,
      hang,
      seconds: Math.round((Date.now() - t0) / 1000),
      notes,
      missing: score.missing,
    };
  } finally {
    check.close();
  }
}

/** Kills at random moments in [start, start+span] seconds, spread evenly in expectation. */
function killSchedule(n: number, span: number, rand: () => number, start = 2): number[] {
  return Array.from({ length: n }, () => start + rand() * span).sort((a, b) => a - b);
}

function killFault(kills: number, span: number, rand: () => number): PipelineFault {
  const at = killSchedule(kills, span, rand);
  let i = 0;
  return {
    async tick({ t, fleet }) {
      while (i < at.length && t >= at[i]) {
        const role: Role = rand() < 0.5 ? 'crawl' : 'parse';
        i++;
        await fleet.kill(role, Math.round(rand() * 500));
      }
      return i >= at.length;
    },
  };
}

function writerFault(kills: number, span: number, rand: () => number): PipelineFault {
  const at = killSchedule(kills, span, rand);
  let i = 0;
  return {
    async tick({ t, fleet }) {
      while (i < at.length && t >= at[i]) {
        i++;
        await fleet.kill('writer', Math.round(rand() * 1000));
      }
      return i >= at.length;
    },
  };
}

function redisFault(restarts: number, span: number, rand: () => number): PipelineFault {
  const at = killSchedule(restarts, span, rand, 4);
  let i = 0;
  let last = -Infinity;
  return {
    async tick({ t, redis, notes, fleet }) {
      // Mid-crawl: a restart waits until every worker is running (a worker started while Redis is down waits
      // for it, which would test start-up rather than reconnection), and 8 s after the previous one.
      if (i < at.length && t >= at[i] && t >= last + 8 && fleet.running()) {
        i++;
        const down = 1000 + Math.round(rand() * 2000);
        await redis.restart(down);
        last = t;
        notes.push(`redis restarted at ${t.toFixed(1)} s (down ${down} ms)`);
      }
      return i >= at.length;
    },
  };
}

/**
 * The archive's disk fills mid-crawl: a ballast file leaves ~160 KB free on the tmpfs; once a process
 * reports the disk full (SQLITE_FULL, ENOSPC), the operator frees the space 5 s later (the ballast is
 * deleted) and the queued work must still all arrive, once.
 */
function diskFault(mountPoint: string): PipelineFault {
  let fullAt: number | null = null;
  let freed = false;
  let ballast: string | null = null;
  const FULL = /SQLITE_FULL|disk is full|ENOSPC|no space left/i;
  return {
    async tick({ t, notes, runDir }) {
      if (!ballast) {
        ballast = path.join(mountPoint, 'ballast');
        const free =
          Number(spawnSync('df', ['-k', '--output=avail', mountPoint], { encoding: 'utf8' }).stdout.trim().split('\n').pop()) * 1024;
        writeFileSync(ballast, Buffer.alloc(Math.max(0, free - 160 * 1024)));
      }
      if (fullAt === null) {
        const logs = readdirSync(runDir).filter((f) => f.endsWith('.log'));
        if (logs.some((f) => FULL.test(readFileSync(path.join(runDir, f), 'utf8')))) {
          fullAt = t;
          notes.push(`disk full reported at ${t.toFixed(1)} s`);
        } else if (t > 90) {
          notes.push('the disk never filled: fault not exercised');
          rmSync(ballast, { force: true });
          return true;
        }
      }
      if (fullAt !== null && !freed && t >= fullAt + 5) {
        rmSync(ballast, { force: true });
        freed = true;
        notes.push(`space freed at ${t.toFixed(1)} s`);
      }
      return freed;
    },
  };
}

/**
 * A busy machine: one busy loop per core for the whole crawl (started with it, stopped when it ends), so
 * the browser's renders, the workers and the sim all fight for CPU.
 */
function cpuHogFault(loops: number): PipelineFault {
  const hogs: ChildProcess[] = [];
  return {
    async tick({ notes }) {
      if (!hogs.length) {
        for (let k = 0; k < loops; k++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
        notes.push(`${loops} busy loops (node -e 'for(;;){}') for the whole crawl`);
      }
      return true;
    },
    async stop() {
      await Promise.all(
        hogs.splice(0).map(async (h) => {
          if (h.exitCode !== null || h.signalCode !== null) return;
          const gone = new Promise((r) => h.once('exit', r));
          h.kill('SIGKILL');
          await gone;
        }),
      );
    },
  };
}

/** Several faults in one run (the short form: every kind of fault in one crawl). */
function allOf(faults: PipelineFault[]): PipelineFault {
  const done = faults.map(() => false);
  return {
    async tick(ctx) {
      for (let i = 0; i < faults.length; i++) if (!done[i]) done[i] = await faults[i].tick(ctx);
      return done.every(Boolean);
    },
  };
}

function summarise(fault: string, runs: Awaited<ReturnType<typeof pipelineRun>>[]): Row {
  const row: Row = {
    fault,
    runs: runs.length,
    lost: runs.reduce((n, r) => n + r.lost, 0),
    duplicated: runs.reduce((n, r) => n + r.duplicated, 0),
    integrity: runs.every((r) => r.integrity === 'ok') ? 'ok' : runs.map((r) => r.integrity).join('; '),
    crashes: runs.reduce((n, r) => n + r.crashes, 0),
    peakRssMb: Math.max(0, ...runs.map((r) => r.peakRssMb)),
    longestParseMs: null,
    offList: runs.some((r) => r.offList)
      ? { tcp: runs.reduce((n, r) => n + (r.offList?.tcp ?? 0), 0), udp: runs.reduce((n, r) => n + (r.offList?.udp ?? 0), 0) }
      : undefined,
    notes: runs.flatMap((r, k) => [
      `run ${k + 1}: ${r.expected - r.lost}/${r.expected} reports archived, ${r.decoys} decoys, ${r.seconds} s${r.missing.length ? `, missing ${r.missing.slice(0, 3).join(' ')}` : ''}`,
      ...r.notes,
      ...r.trapSamples.map((x) => `off the allow list: ${x}`),
    ]),
    failed: [],
  };
  const decoys = runs.reduce((n, r) => n + r.decoys, 0);
  if (decoys) row.failed.push(`${decoys} decoys archived`);
  if (row.lost) row.failed.push(`${row.lost} reports lost`);
  if (row.duplicated) row.failed.push(`${row.duplicated} duplicates`);
  if (row.integrity !== 'ok') row.failed.push('integrity_check failed');
  if (row.crashes) row.failed.push(`${row.crashes} crashes`);
  if (runs.some((r) => r.hang)) row.failed.push('a run did not finish');
  if (row.peakRssMb > RSS_CAP_MB) row.failed.push(`peak RSS ${row.peakRssMb} MB over ${RSS_CAP_MB} MB`);
  return row;
}

// ---------------------------------------------------------------- hostile documents
type HostileDoc = { name: string; bytes: Uint8Array; info: { filename: string; contentType?: string }; expectReport?: boolean };

async function hostileDocuments(count: number, seed: number): Promise<HostileDoc[]> {
  const corpus = path.join(ROOT, 'test/fixtures/reports/corpus');
  const seeds = path.join(ROOT, 'test/fixtures/reports/seeds');
  const real = [
    ...readdirSync(corpus)
      .filter((f) => /\.(html|pdf|txt)$/.test(f))
      .map((f) => path.join(corpus, f)),
    ...readdirSync(seeds)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => path.join(seeds, f)),
  ];
  const htmlReports = real.filter((f) => f.endsWith('.html'));
  const GiB = 1024 ** 3;
  const docs: HostileDoc[] = [
    { name: 'docx unpacking to 1 GiB', bytes: await H.docxBomb(GiB), info: { filename: 'bomb.docx' } },
    { name: 'docx declaring 5 KB, unpacking to 1 GiB', bytes: await H.docxLiar(GiB), info: { filename: 'liar.docx' } },
    { name: 'pdf with a 1 GiB flate stream', bytes: await H.pdfFlateBomb(GiB), info: { filename: 'bomb.pdf' } },
    { name: 'pdf declaring a 60000×60000 image', bytes: H.pdfHugeImage(60000, 60000), info: { filename: 'image.pdf' } },
    { name: 'jpeg declaring 60000×60000', bytes: H.jpegHeader(60000, 60000, 4000), info: { filename: 'big.jpg' } },
    { name: '100k nested divs', bytes: H.nestedDivs(100_000), info: { filename: 'divs.html' } },
    { name: '5k nested tables', bytes: H.nestedTables(5000), info: { filename: 'tables.html' } },
    {
      name: '50 MB report page',
      bytes: H.hugePage(readFileSync(htmlReports[0], 'utf8'), 50 * 1024 * 1024),
      info: { filename: 'huge.html' },
      expectReport: true,
    },
  ];
  for (let k = 0; k < 5; k++)
    docs.push({ name: `png signature + 10 KB noise #${k}`, bytes: H.pngNoise(10_000, seed + k), info: { filename: `noise${k}.png` } });
  for (let k = 0; k < 5; k++)
    docs.push({ name: `<html> + noise #${k}`, bytes: H.htmlNoise(20_000, seed + 100 + k), info: { filename: `noise${k}.html` } });
  for (const f of htmlReports) {
    docs.push({
      name: `GBK under a UTF-8 declaration (${path.basename(f)})`,
      bytes: H.gbkUnderUtf8(readFileSync(f, 'utf8')),
      info: { filename: path.basename(f), contentType: 'text/html; charset=utf-8' },
      expectReport: true,
    });
  }
  // A mutated PDF costs seconds of pdf.js layout (a mutated page or text file a fraction of one), so
  // one mutation in ten is of a PDF: the full form stays within ~30 min on a busy two-core machine.
  const pdfs = real.filter((f) => f.endsWith('.pdf'));
  const others = real.filter((f) => !f.endsWith('.pdf'));
  for (let k = 0; docs.length < count; k++) {
    const f = k % 10 === 0 ? pdfs[(k / 10) % pdfs.length] : others[k % others.length];
    docs.push({
      name: `mutation #${k} of ${path.basename(f)}`,
      bytes: H.mutate(new Uint8Array(readFileSync(f)), seed * 7919 + k),
      info: { filename: path.basename(f) },
    });
  }
  return docs;
}

type DocOutcome = { k: number; outcome: string; ms: number; isReport?: boolean; error?: string };

/** Child role: parses the documents of a manifest one by one in a sandbox, as a parse worker does. */
async function runHostileRole(manifestFile: string): Promise<void> {
  const docs = JSON.parse(readFileSync(manifestFile, 'utf8')) as Array<{ file: string; info: HostileDoc['info'] }>;
  // The sandbox's own RSS watchdog (900 MB by default) sits below the suite's 1 GB cap.
  const sandbox = new ParseSandbox({ timeoutMs: PARSE_TIMEOUT_MS });
  for (let k = 0; k < docs.length; k++) {
    const bytes = new Uint8Array(readFileSync(docs[k].file));
    const started = Date.now();
    let out: DocOutcome;
    try {
      const r = await sandbox.parse(bytes, docs[k].info);
      out = { k, outcome: r.isReport ? 'report' : 'not a report', ms: 0, isReport: r.isReport };
    } catch (e) {
      out =
        e instanceof DocumentError
          ? { k, outcome: `DocumentError ${e.code}`, ms: 0, error: e.message.slice(0, 200) }
          : { k, outcome: 'internal error', ms: 0, error: `${(e as Error).name}: ${(e as Error).message.slice(0, 200)}` };
    }
    out.ms = Date.now() - started;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  process.stdout.write(`${JSON.stringify({ done: true, peakRssMb: rssMbOf('self'), restarts: sandbox.stats.restarts })}\n`);
  await sandbox.close();
}

async function hostileFault(work: string, count: number, seed: number): Promise<Row> {
  const t0 = Date.now();
  const docs = await hostileDocuments(count, seed);
  const dir = path.join(work, 'hostile');
  mkdirSync(dir, { recursive: true });
  const manifest = docs.map((d, k) => {
    const file = path.join(dir, `${String(k).padStart(4, '0')}-${d.info.filename}`);
    writeFileSync(file, d.bytes);
    return { file, info: d.info };
  });
  const manifestFile = path.join(dir, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  console.log(`  ${docs.length} documents generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  docs.forEach((d) => ((d as { bytes?: Uint8Array }).bytes = undefined));

  // A separate process, like a parse worker: its peak RSS is the parsing's, not the generator's.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/chaos.ts'), '--role', 'hostile', '--manifest', manifestFile],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const outcomes = new Map<string, number>();
  const internal: string[] = [];
  const lost: string[] = [];
  const hangs: string[] = [];
  let longest = { ms: 0, name: '' };
  let summary = null as { peakRssMb: number; restarts: number } | null;
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let m: DocOutcome & { done?: boolean; peakRssMb?: number; restarts?: number };
      try {
        m = JSON.parse(line);
      } catch {
        continue;
      }
      if (m.done) {
        summary = { peakRssMb: m.peakRssMb!, restarts: m.restarts! };
        continue;
      }
      const d = docs[m.k];
      outcomes.set(m.outcome, (outcomes.get(m.outcome) ?? 0) + 1);
      if (m.outcome === 'internal error') internal.push(`${d.name}: ${m.error}`);
      if (d.expectReport && !m.isReport) lost.push(`${d.name} (${m.outcome})`);
      if (m.ms > longest.ms) longest = { ms: m.ms, name: d.name };
      if (m.ms > PARSE_TIMEOUT_MS + 5_000) hangs.push(`${d.name}: ${m.ms} ms`);
      if (!d.name.startsWith('mutation') || m.ms > 5000 || m.outcome === 'internal error')
        console.log(`  ${d.name}: ${m.outcome}, ${m.ms} ms`);
    }
  });
  const exit = await new Promise<number | string>((r) => child.once('exit', (code, signal) => r(signal ?? code ?? 0)));
  const peak = summary?.peakRssMb ?? -1;
  const row: Row = {
    fault: 'hostile documents',
    runs: docs.length,
    lost: lost.length,
    duplicated: 0,
    integrity: 'n/a',
    crashes: internal.length + (exit === 0 && summary ? 0 : 1),
    peakRssMb: peak,
    longestParseMs: longest.ms,
    notes: [
      `outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `longest: ${longest.name}; sandbox threads replaced ${summary?.restarts ?? '?'} times`,
      ...(exit === 0 && summary ? [] : [`the parsing process exited with ${exit}`]),
      ...internal.slice(0, 5).map((x) => `internal error: ${x}`),
      ...lost.map((x) => `report lost: ${x}`),
    ],
    failed: [],
  };
  if (lost.length) row.failed.push(`${lost.length} reports lost`);
  if (row.crashes) row.failed.push(`${row.crashes} crashes (internal errors or the process dying)`);
  if (hangs.length) row.failed.push(`${hangs.length} parses over ${PARSE_TIMEOUT_MS} ms: ${hangs.slice(0, 3).join('; ')}`);
  if (peak > RSS_CAP_MB) row.failed.push(`peak RSS ${peak} MB over ${RSS_CAP_MB} MB`);
  return row;
}

// ---------------------------------------------------------------- main
async function main(): Promise<number> {
  const a = args();
  if (a.role === 'writer') {
    await runWriterRole(a.archive!, a.prefix!);
    return 0;
  }
  if (a.role === 'hostile') {
    await runHostileRole(a.manifest!);
    return 0;
  }
  const want = (f: string) => !a.only || a.only.includes(f);
  const work = mkdtempSync(path.join(tmpdir(), 'nianbao-chaos-'));
  const rows: Row[] = [];
  const rand = H.rng(a.seed);
  const sites = a.short ? SITES_SHORT : SITES_FULL;
  console.log(
    `chaos (${a.short ? 'short' : 'full'} form, seed ${a.seed}); caps: ${PARSE_TIMEOUT_MS / 1000} s per document, ${RSS_CAP_MB} MB RSS; work folder ${work}`,
  );
  const traps = await startTraps();
  const sim = await startSimWeb({ seed: 1, port: 0, traps });
  const withTraps = { traps };
  try {
    if (want('hostile')) {
      console.log('hostile documents');
      rows.push(await hostileFault(work, a.short ? 30 : 1000, a.seed));
    }
    if (a.short) {
      // CI form: one crawl of one site with every process fault in it.
      if (want('kill') || want('redis') || want('writer')) {
        console.log('mixed: 6 SIGKILLs of crawl/parse workers, 2 of the archive writer and a Redis restart in one crawl');
        const fault = allOf([killFault(6, 15, rand), writerFault(2, 15, rand), redisFault(1, 10, rand)]);
        rows.push(
          summarise('SIGKILL workers 6, writer 2; Redis restart', [await pipelineRun(sim, work, 'mixed', sites, fault, a.seed, withTraps)]),
        );
      }
    } else {
      if (want('kill')) {
        // 100 kills over 5 runs of 20; a run's kills fall in its first 40 s.
        const results = [];
        for (let k = 0; k < 5; k++) {
          console.log(`kill: run ${k + 1}/5, 20 SIGKILLs of crawl/parse workers`);
          results.push(await pipelineRun(sim, work, `kill${k}`, sites, killFault(20, 40, rand), a.seed + k, withTraps));
        }
        rows.push(summarise('SIGKILL crawl/parse workers (100)', results));
      }
      if (want('redis')) {
        console.log('redis: two restarts mid-crawl');
        rows.push(
          summarise('Redis restart mid-crawl (2)', [
            await pipelineRun(sim, work, 'redis', sites, redisFault(2, 20, rand), a.seed + 50, withTraps),
          ]),
        );
      }
      if (want('writer')) {
        console.log('writer: 10 SIGKILLs of the archive writer');
        rows.push(
          summarise('SIGKILL archive writer (10)', [
            await pipelineRun(sim, work, 'writer', sites, writerFault(10, 30, rand), a.seed + 60, withTraps),
          ]),
        );
      }
    }
    if (want('disk') && !a.short) {
      console.log('disk: the archive on a tmpfs that fills mid-crawl, then space is freed');
      const mnt = path.join(work, 'small-disk');
      mkdirSync(mnt, { recursive: true });
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt], { encoding: 'utf8' });
      if (m.status !== 0) {
        rows.push({
          fault: 'disk full',
          runs: 0,
          lost: 0,
          duplicated: 0,
          integrity: 'n/a',
          crashes: 0,
          peakRssMb: 0,
          longestParseMs: null,
          notes: [`skipped: mount failed (${m.stderr.trim()}); needs root`],
          failed: [],
        });
      } else {
        try {
          const row = summarise('disk full under the archive', [
            await pipelineRun(sim, work, 'disk', sites, diskFault(mnt), a.seed + 70, { archiveDir: mnt, ...withTraps }),
          ]);
          if (row.notes.some((n) => n.includes('fault not exercised'))) row.failed.push('the disk never filled');
          rows.push(row);
        } finally {
          spawnSync('umount', ['-l', mnt]);
        }
      }
    }
    if (want('cpu-hog')) {
      // Every demo site with the browser (full form; the short form crawls one script-built list site).
      const hogSites = a.short ? HOG_SITES_SHORT : sim.sites.map((s) => s.id);
      const loops = availableParallelism();
      console.log(`cpu-hog: ${loops} busy loops while ${hogSites.length} site(s) are crawled with the browser`);
      rows.push(
        summarise(`CPU hog (${loops} busy loops), browser`, [
          await pipelineRun(sim, work, 'cpuhog', hogSites, cpuHogFault(loops), a.seed + 80, { browser: true, ...withTraps }),
        ]),
      );
    }
  } finally {
    await sim.close();
    await traps.close();
    if (!a.keep) rmSync(work, { recursive: true, force: true });
  }

  console.log('\nfault                                  runs   lost  dup  integrity  crashes  peak RSS MB  longest parse');
  for (const r of rows) {
    console.log(
      `${r.fault.padEnd(38)} ${String(r.runs).padStart(5)} ${String(r.lost).padStart(6)} ${String(r.duplicated).padStart(4)}  ${r.integrity.padEnd(9)} ${String(r.crashes).padStart(8)} ${String(r.peakRssMb).padStart(12)}  ${r.longestParseMs === null ? 'n/a' : `${(r.longestParseMs / 1000).toFixed(1)} s`}`,
    );
  }
  for (const r of rows) for (const n of r.notes) console.log(`  ${r.fault}: ${n}`);
  const off = traps.counts();
  console.log(`\nconnections off the allow list: ${off.tcp + off.udp} (tcp ${off.tcp}, udp ${off.udp})`);
  for (const r of rows) if (r.offList) console.log(`  ${r.fault}: tcp ${r.offList.tcp}, udp ${r.offList.udp}`);
  for (const x of off.samples) console.log(`  received: ${x}`);
  const failures = rows.flatMap((r) => r.failed.map((f) => `${r.fault}: ${f}`));
  if (off.tcp + off.udp > 0) failures.push(`${off.tcp + off.udp} connections off the allow list (tcp ${off.tcp}, udp ${off.udp})`);
  if (failures.length) {
    console.log(`\nFAIL\n  ${failures.join('\n  ')}`);
    return 1;
  }
  console.log('\nPASS: 0 lost, 0 duplicated, 0 crashes, every document within its caps, 0 connections off the allow list');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
