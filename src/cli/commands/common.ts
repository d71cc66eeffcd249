import path from 'node:path';

/** What every command gets from main(): where to write, when to stop, and where to put its exit code. */
export type CommandContext = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM: long commands stop their workers gracefully and return. */
  signal: AbortSignal;
  exitCode: number;
  /** Set by a command for which being interrupted is a normal end (exit code stays its own). */
  interruptHandled?: boolean;
};

/** An error meant for the user: main() prints its message as one line, without a stack. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export const DEFAULT_ARCHIVE = 'data/nianbao.sqlite';
export const DEFAULT_DEMO_ARCHIVE = 'data/demo.sqlite';
export const DEFAULT_CONFIG = 'config/sites.yaml';

/** The folder that holds the archive also holds the private Redis's append-only file. */
export function dataDirOf(archivePath: string): string {
  return path.dirname(path.resolve(archivePath));
}

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
