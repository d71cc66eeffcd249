// Process-tree accounting for bench/scale.ts, from /proc (Linux): peak memory and CPU time of a process and
// every descendant (Chromium, Redis, worker threads included), sampled while it runs.
import { readdirSync, readFileSync } from 'node:fs';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const TICKS = 100; // USER_HZ on Linux

interface ProcInfo {
  /** What the process runs, grouped: node, chromium, redis-server, tesseract … */
  name: string;
  ppid: number;
  cpuMs: number;
  rssKb: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // fields after the command: state(0) ppid(1) … utime(11) stime(12)
    const ppid = Number(f[1]);
    const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
    let rssKb = 0;
    try {
      // PSS: shared pages (Chromium's zygote, libraries) counted once across the tree, not once per process
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      rssKb = m ? Number(m[1]) : 0;
    } catch {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      rssKb = m ? Number(m[1]) : 0;
    }
    return { name: groupOf(comm), ppid, cpuMs, rssKb };
  } catch {
    return null;
  }
}

// Chromium's processes call themselves chromium, chrome_crashpad, "Chrome_ChildIOT" …; a node worker thread is not a process.
const groupOf = (comm: string) => (/chrom/i.test(comm) ? 'chromium' : comm.replace(/[-_]?\d+$/, ''));

function allProcs(): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.set(Number(name), p);
  }
  return out;
}

/** The pids of `roots` and all their descendants now. */
export function treePids(roots: number[], procs = allProcs()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(pid);
    else children.set(p.ppid, [pid]);
  }
  const out: number[] = [];
  const stack = roots.filter((r) => procs.has(r));
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Samples the trees under `roots` every `intervalMs`: the peak of the summed PSS, and CPU as the sum over every
 * pid ever seen of its last CPU time (a process that exits between samples loses at most one interval).
 */
export class TreeSampler {
  peakKb = 0;
  /** PSS per process group at the peak sample. */
  peakByName = new Map<string, number>();
  private cpu = new Map<number, number>();
  private nameOf = new Map<number, string>();
  private timer: NodeJS.Timeout;
  private roots: number[];

  constructor(roots: number[], intervalMs = 1000) {
    this.roots = [...roots];
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  addRoot(pid: number): void {
    this.roots.push(pid);
  }

  sample(): void {
    const procs = allProcs();
    let kb = 0;
    const byName = new Map<string, number>();
    for (const pid of treePids(this.roots, procs)) {
      const p = procs.get(pid)!;
      kb += p.rssKb;
      byName.set(p.name, (byName.get(p.name) ?? 0) + p.rssKb);
      this.cpu.set(pid, Math.max(this.cpu.get(pid) ?? 0, p.cpuMs));
      this.nameOf.set(pid, p.name);
    }
    if (kb > this.peakKb) {
      this.peakKb = kb;
      this.peakByName = byName;
    }
  }

  get cpuMs(): number {
    let t = 0;
    for (const v of this.cpu.values()) t += v;
    return t;
  }

  stop(): { peakMb: number; cpuS: number; breakdown: string } {
    this.sample();
    clearInterval(this.timer);
    const cpuByName = new Map<string, number>();
    for (const [pid, ms] of this.cpu) cpuByName.set(this.nameOf.get(pid)!, (cpuByName.get(this.nameOf.get(pid)!) ?? 0) + ms);
    const names = [...cpuByName.keys()].sort((a, b) => cpuByName.get(b)! - cpuByName.get(a)!);
    const breakdown = names
      .map((n) => `${n} ${(cpuByName.get(n)! / 1000).toFixed(1)} CPU-s / ${Math.round((this.peakByName.get(n) ?? 0) / 1024)} MB`)
      .join(', ');
    return { peakMb: this.peakKb / 1024, cpuS: this.cpuMs / 1000, breakdown };
  }
}

/** CPU seconds of this process so far (all its threads, pdf.js and parse workers included). */
export function selfCpuS(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

export function spawnLogged(cmd: string, args: string[], opts: SpawnOptions & { log: string }): ChildProcess {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  (child as ChildProcess & { tail: () => string }).tail = () => out;
  return child;
}

export const tailOf = (c: ChildProcess): string => (c as ChildProcess & { tail?: () => string }).tail?.() ?? '';

/** Resolves with the exit code; after `timeoutMs`, SIGINT, then SIGKILL of the child's own tree 60 s later. */
export function exitOf(child: ChildProcess, timeoutMs = Infinity): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    let timedOut = false;
    let hard: NodeJS.Timeout | undefined;
    const soft = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGINT');
          hard = setTimeout(() => {
            for (const pid of treePids([child.pid!]).reverse()) {
              try {
                process.kill(pid, 'SIGKILL');
              } catch {
                /* gone */
              }
            }
          }, 60_000);
        }, timeoutMs)
      : undefined;
    child.once('exit', (code) => {
      clearTimeout(soft);
      clearTimeout(hard);
      resolve({ code, timedOut });
    });
  });
}
