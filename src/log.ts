import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

// pino's own pretty printer is a separate package running in a worker thread; an operator tailing a
// crawl wants one readable line per event, so JSON records are re-rendered synchronously here.
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'module']);

function renderValue(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && 'message' in v && 'type' in v) {
    // pino's serialised Error: the message is what an operator needs; the stack only at debug level.
    return JSON.stringify((v as { message: string }).message);
  }
  return JSON.stringify(v);
}

export function formatLogLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  const time = new Date(Number(rec.time ?? Date.now())).toISOString().slice(11, 19);
  const level = LEVEL_NAMES[Number(rec.level)] ?? String(rec.level);
  const mod = rec.module ? `${rec.module}: ` : '';
  const extras = Object.entries(rec)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${renderValue(v)}`)
    .join(' ');
  return `${time} ${level.padEnd(5)} ${mod}${rec.msg ?? ''}${extras ? ' ' + extras : ''}`;
}

function defaultLevel(): LevelWithSilent {
  const env = process.env.LOG_LEVEL as LevelWithSilent | undefined;
  if (env) return env;
  // Test output is the test report; workers chattering into it hides failures.
  if (process.env.VITEST || process.env.NODE_ENV === 'test') return 'silent';
  return 'info';
}

let root: Logger | undefined;

/** The process-wide logger; `LOG_FORMAT=json` keeps pino's JSON lines for log shippers. */
export function getLogger(): Logger {
  if (root) return root;
  const level = defaultLevel();
  if (process.env.LOG_FORMAT === 'json') {
    root = pino({ level }, pino.destination({ fd: 2, sync: true }));
  } else {
    root = pino(
      { level },
      {
        write(line: string) {
          process.stderr.write(formatLogLine(line) + '\n');
        },
      },
    );
  }
  return root;
}

/** A logger for one module: every line is prefixed with its name. */
export function createLogger(module: string, bindings: Record<string, unknown> = {}): Logger {
  return getLogger().child({ module, ...bindings });
}
