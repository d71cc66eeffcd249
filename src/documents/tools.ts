// External programs (tesseract, pdftoppm) run with a hard timeout; the child and its children are killed
// when it expires, and a missing program gives an error that names the Debian package to install.
import { spawn } from 'node:child_process';

export class ToolMissingError extends Error {
  constructor(
    readonly tool: string,
    readonly pkg: string,
  ) {
    super(`${tool} is not installed (Debian package: ${pkg})`);
    this.name = 'ToolMissingError';
  }
}
export class ToolTimeoutError extends Error {
  constructor(
    readonly tool: string,
    ms: number,
  ) {
    super(`${tool} did not finish within ${ms} ms`);
    this.name = 'ToolTimeoutError';
  }
}

export type ToolResult = { stdout: Buffer; stderr: string };

// The parse sandbox terminates its thread on a limit; timers of that thread die with it, so the
// sandbox itself must kill the tools the thread started. It learns their process groups here.
let toolWatcher: ((pid: number, alive: boolean) => void) | null = null;
export function watchTools(fn: ((pid: number, alive: boolean) => void) | null): void {
  toolWatcher = fn;
}

export function runTool(
  cmd: string,
  args: string[],
  opts: { timeoutMs: number; pkg: string; maxOutput?: number; env?: NodeJS.ProcessEnv },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...opts.env } });
    if (child.pid) toolWatcher?.(child.pid, true);
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let settled = false;
    const max = opts.maxOutput ?? 64 << 20;
    // detached → own process group, so the whole group can be killed (tesseract may fork helpers).
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      kill();
      finish(new ToolTimeoutError(cmd, opts.timeoutMs));
    }, opts.timeoutMs);
    const finish = (e: Error | null, r?: ToolResult) => {
      if (settled) return;
      settled = true;
      if (child.pid) toolWatcher?.(child.pid, false);
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(r!);
    };
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        kill();
        finish(new Error(`${cmd} output exceeds ${max} bytes`));
        return;
      }
      out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 8192) err += c.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? new ToolMissingError(cmd, opts.pkg) : e));
    child.on('close', (code, signal) => {
      if (code === 0) finish(null, { stdout: Buffer.concat(out), stderr: err });
      else finish(new Error(`${cmd} failed (${signal ?? code}): ${err.trim().slice(0, 500)}`));
    });
  });
}
