// The processes the bench measures: the real web process (build/server.js as npm start runs
// it, production mode, the runtime role) and the bare node:http ceiling server, each its own child so autocannon in
// this process never shares their event loop.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { JobWorkerSpec } from './job-worker';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  url: string;
  pid: number;
  /** Resident set size in MB, from the kernel, with its children's. */
  rssMb(): number;
  /** CPU time in ms the process and its children have used so far, from the kernel (null off Linux). */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

function rssKbOf(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1] ?? 0);
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim());
}

/** The process and its children (the web processes that share its port, under WEB_CONCURRENCY). */
function treeOf(pid: number): number[] {
  const children = `/proc/${pid}/task/${pid}/children`;
  const direct = existsSync(children) ? readFileSync(children, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
  return [pid, ...direct.flatMap(treeOf)];
}

/** Resident set size in MB of the process and its children, from the kernel. */
export function rssMbOf(pid: number): number {
  const kb = treeOf(pid).reduce((sum, p) => sum + rssKbOf(p), 0);
  return Math.round(kb / 102.4) / 10;
}

let ticksPerSecond: number | undefined;

/**
 * A process's command name and CPU time (user and system) in ms, from /proc/<pid>/stat, and that
 * of its children that have ended; null if it is gone.
 */
function procStat(pid: number | string): { command: string; cpuMs: number; endedChildrenCpuMs: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  // The command name is in parentheses and may hold spaces; the fields come after it.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
    endedChildrenCpuMs: ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond,
  };
}

/**
 * CPU time in ms of the processes under `pid` whose command name `matches`, with that of their
 * children that have ended (a process that exits inside a measured window still counts), from
 * /proc. Two readings' difference is what they used between them.
 */
export function treeCpuMs(pid: number, matches: (command: string) => boolean): number {
  let total = 0;
  for (const p of treeOf(pid)) {
    const stat = procStat(p);
    if (stat && matches(stat.command)) total += stat.cpuMs + stat.endedChildrenCpuMs;
  }
  return total;
}

/**
 * CPU time (user and system) in ms of every process on the machine, summed by command name
 * (`postgres`, `redis-server`, `node`, the kernel's `kworker/…` as `kworker`), from /proc; empty
 * without it. Two readings' difference says where a measured window's CPU went, the database's
 * and the kernel's included.
 */
export function cpuMsByCommand(): Map<string, number> {
  const byName = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return byName;
  const ours = new Set(treeOf(process.pid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (!stat) continue;
    const command = stat.command.replace(/[/:].*$/, '');
    // The bench's own processes (its relay and polling, the workers it started) apart from the
    // machine's other node processes.
    const name = ours.has(Number(entry)) ? `bench ${command}` : command;
    byName.set(name, (byName.get(name) ?? 0) + stat.cpuMs);
  }
  return byName;
}

/** What each command used between two readings of `cpuMsByCommand`, largest first, above `floorMs`. */
export function cpuMsSince(before: Map<string, number>, after: Map<string, number>, floorMs = 50): [string, number][] {
  return [...after]
    .map(([name, ms]): [string, number] => [name, Math.round(ms - (before.get(name) ?? 0))])
    .filter(([, ms]) => ms >= floorMs)
    .sort((a, b) => b[1] - a[1]);
}

/** CPU time (user and system) in ms of the process and its children, from /proc; null without it. */
export function cpuMsOf(pid: number): number | null {
  if (!existsSync(`/proc/${pid}/stat`)) return null;
  return treeOf(pid).reduce((sum, p) => sum + (procStat(p)?.cpuMs ?? 0), 0);
}

function childOf(proc: ChildProcess, url: string): Child {
  return {
    url,
    pid: proc.pid!,
    rssMb: () => rssMbOf(proc.pid!),
    cpuMs: () => cpuMsOf(proc.pid!),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(url: string, proc: ChildProcess, errors: () => string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${url}: the process exited with ${proc.exitCode}\n${errors()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${seconds} s\n${errors()}`);
}

/**
 * The Node options `npm start` (or `npm run worker`) runs its process with (package.json's
 * script, e.g. a larger young generation), so that the bench starts it alike.
 */
export function startOptions(script: 'start' | 'worker' = 'start'): string[] {
  const { scripts } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const words = scripts[script].split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

/** A TypeScript script under tsx, a compiled one (build/) as it is, with these Node options. */
function spawnScript(script: string, env: Record<string, string>, profileDir?: string, ipc = false, options: string[] = [], cwd = root): { proc: ChildProcess; errors: () => string } {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...options, ...profile, ...loader, script], {
    cwd,
    env: { ...process.env, ...env },
    // The request log goes nowhere, as it would go to a log collector: it is written, not read.
    stdio: ['ignore', 'ignore', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  let tail = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return { proc, errors: () => tail };
}

export interface AppServerOptions {
  appUrl: string;
  pool: number;
  webProcesses: number;
  logLevel: string;
  profileDir?: string;
  /** A checkout of the project whose build to run (another commit's, to compare): this one by default. */
  checkout?: string;
}

/** The compiled server as `npm start` runs it. */
export async function startAppServer(o: AppServerOptions): Promise<Child> {
  const checkout = o.checkout ?? root;
  if (!existsSync(`${checkout}/build/server.js`)) {
    execFileSync('npm', ['run', 'build'], { cwd: checkout, stdio: ['ignore', process.stderr, process.stderr] });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATABASE_URL: o.appUrl,
    DATABASE_POOL_SIZE: String(o.pool),
    WEB_CONCURRENCY: String(o.webProcesses),
    LOG_LEVEL: o.logLevel,
    // npm start never runs jobs in the web process; keep it that way here.
    REDIS_URL: '',
  };
  const { proc, errors } = spawnScript('build/server.js', env, o.profileDir, false, startOptions(), checkout);
  await waitFor(`${url}/readyz`, proc, errors);
  return childOf(proc, url);
}

export interface FloorOptions {
  /** A connection row level security does not bind (the owner, or a superuser). */
  ownerUrl: string;
  pool: number;
  /** The inbox's SQL and parameters, as the app's loader sent them. */
  inboxSql: { text: string; params: unknown[] };
  profileDir?: string;
}

/**
 * The framework floor: a plain Remix app of the bench's own (scripts/bench/floor) rendering the
 * inbox's rows, built on first use, served by its own process as the product serves its pages.
 */
export async function startFloorServer(o: FloorOptions): Promise<Child> {
  if (!existsSync(`${root}scripts/bench/floor/build/index.js`)) {
    execFileSync('npx', ['remix', 'build', 'scripts/bench/floor'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, NODE_ENV: 'production' } });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    BENCH_DATABASE_URL: o.ownerUrl,
    BENCH_INBOX_SQL: JSON.stringify(o.inboxSql),
    DATABASE_POOL_SIZE: String(o.pool),
  };
  const { proc, errors } = spawnScript('scripts/bench/floor/server.ts', env, o.profileDir, false, startOptions());
  await waitFor(`${url}/healthz`, proc, errors);
  return childOf(proc, url);
}

export interface CeilingSpec {
  ownerUrl: string;
  appUrl: string;
  text: string;
  params: unknown[];
  tenantId: string;
  userId: string;
  pool: number;
}

export async function startCeilingServer(spec: CeilingSpec, profileDir?: string): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { proc, errors } = spawnScript('scripts/bench/ceiling-server.ts', { PORT: String(port), BENCH_SPEC: JSON.stringify(spec) }, profileDir);
  await waitFor(`${url}/healthz`, proc, errors);
  return childOf(proc, url);
}

/** `count` job worker processes (scripts/bench/job-worker.ts), once each says it is ready. */
export async function startJobWorkers(count: number, spec: JobWorkerSpec, profileDir?: string): Promise<Child[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { proc, errors } = spawnScript('scripts/bench/job-worker.ts', { BENCH_WORKER_SPEC: JSON.stringify(spec) }, profileDir, true, startOptions('worker'));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`a job worker did not start within 60 s\n${errors()}`)), 60_000);
        proc.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.once('exit', (code) => reject(new Error(`a job worker exited with ${code}\n${errors()}`)));
      });
      return childOf(proc, '');
    }),
  );
}
