// Process-tree accounting for bench/scale.ts, from /proc (Linux): peak memory and CPU time of a process and
// every descendant (Chromium, Redis, worker threads included), sampled while it runs.
import { readdirSync, readFileSync } from 'node:fs';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const TICKS = 100; // USER_HZ on Linux

interface ProcInfo {
  ppid: number;
  cpuMs: number;
  rssKb: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
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
    return { ppid, cpuMs, rssKb };
  } catch {
    return null;
  }
}

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
  private cpu = new Map<number, number>();
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
    for (const pid of treePids(this.roots, procs)) {
      const p = procs.get(pid)!;
      kb += p.rssKb;
      this.cpu.set(pid, Math.max(this.cpu.get(pid) ?? 0, p.cpuMs));
    }
    this.peakKb = Math.max(this.peakKb, kb);
  }

  get cpuMs(): number {
    let t = 0;
    for (const v of this.cpu.values()) t += v;
    return t;
  }

  stop(): { peakMb: number; cpuS: number } {
    this.sample();
    clearInterval(this.timer);
    return { peakMb: this.peakKb / 1024, cpuS: this.cpuMs / 1000 };
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
