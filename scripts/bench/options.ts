// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';

export const ROWS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export type RowNumber = (typeof ROWS)[number];

export interface BenchOptions {
  /** A role row level security does not bind (superuser or BYPASSRLS) on the seeded database. */
  databaseUrl: string;
  /** The runtime role on the same database, as the web process connects. */
  appUrl: string;
  redisUrl: string;
  out: string;
  /** Seconds per measured run. */
  duration: number;
  /** Seconds of unmeasured load before each run. */
  warmup: number;
  quick: boolean;
  only: Set<RowNumber>;
  /** DATABASE_POOL_SIZE of the web process (and the pools of the ceiling server). */
  pool: number;
  /** WEB_CONCURRENCY of the web server: processes sharing its port. */
  webProcesses: number;
  /** Outbox rows for the jobs throughput. */
  jobs: number;
  /** Worker processes that run them. */
  jobProcesses: number;
  /** Most documents prepared for an action run. */
  maxActions: number;
  logLevel: string;
  tenant?: string;
  /** Row 8 on smaller seeds: databases at about 10 % and 50 % of this one (else tenants of this one). */
  sizeDatabases: string[];
  /** A folder for V8 CPU profiles of the web and job worker processes (one .cpuprofile per process, at its exit). */
  profile?: string;
}

export const usage = `npm run bench -- [options]

  --database-url URL   seeded database, as a role RLS does not bind (superuser or BYPASSRLS)
                       (default $BENCH_DATABASE_URL or postgres://root@127.0.0.1:5432/delovod_scale)
  --app-url URL        the runtime role on it (default: the same URL as user delovod_app)
  --redis-url URL      Redis for the jobs row (default $REDIS_URL or redis://127.0.0.1:6379)
  --duration S         seconds per measured run (default 10)
  --warmup S           seconds of unmeasured load before each run (default 2)
  --quick              a smoke test: 8 requests on at most 8 connections per run, no
                       warm-up, tiny action pools, 50 jobs (proves the rows work, not speed)
  --only LIST          rows to measure, e.g. 1,2,3 (default all: 1-9)
  --pool N             DATABASE_POOL_SIZE of the web process (default 10, the product default)
  --web-processes N    WEB_CONCURRENCY of the web server (default: the machine's cores, as a
                       production install on it is told to set)
  --jobs N             outbox rows for the jobs throughput (default 10000: enough that the
                       relay's one-second cadence and the start do not decide the figure)
  --job-processes N    worker processes that run them (default: the machine's cores, as a
                       production install runs npm run worker once per core)
  --max-actions N      most documents prepared per action run (default 4000)
  --size-databases URL10,URL50
                       row 8 on two smaller seeds (about 10 % and 50 % of this one), same kind
                       of role as --database-url; default: tenants of this database at those sizes
  --tenant SLUG        the large tenant to measure (default: the one with the most documents)
  --log-level LEVEL    LOG_LEVEL of the web process (default info, as in production)
  --out FILE           where the JSON goes (default bench-results.json)
  --profile DIR        write a V8 CPU profile of each web, ceiling and job worker process to DIR (open it in Chrome
                       DevTools or speedscope); profiling slows the web process down
`;

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'database-url': { type: 'string' },
      'app-url': { type: 'string' },
      'redis-url': { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      pool: { type: 'string' },
      'web-processes': { type: 'string' },
      jobs: { type: 'string' },
      'job-processes': { type: 'string' },
      'max-actions': { type: 'string' },
      tenant: { type: 'string' },
      'size-databases': { type: 'string' },
      'log-level': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const number = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/delovod_scale';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('--database-url must be a postgres:// URL');
  const appUrl = values['app-url'] ?? withUser(databaseUrl, 'delovod_app');
  let only = new Set<RowNumber>(ROWS);
  if (values.only) {
    const picked = values.only.split(',').map((s) => Number(s.trim()));
    if (!picked.length || picked.some((n) => !ROWS.includes(n as RowNumber))) throw new Error('--only takes row numbers 1-9, e.g. --only 1,2,3');
    only = new Set(picked as RowNumber[]);
  }
  return {
    databaseUrl,
    appUrl,
    redisUrl: values['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    out: values.out ?? 'bench-results.json',
    duration: number('duration', values.duration, 10, 0.5),
    warmup: number('warmup', values.warmup, quick ? 0 : 2, 0),
    quick,
    only,
    pool: number('pool', values.pool, 10, 1),
    webProcesses: number('web-processes', values['web-processes'], availableParallelism(), 1),
    jobs: number('jobs', values.jobs, quick ? 50 : 10_000, 10),
    jobProcesses: number('job-processes', values['job-processes'], availableParallelism(), 1),
    maxActions: number('max-actions', values['max-actions'], quick ? 200 : 4000, 16),
    logLevel: values['log-level'] ?? 'info',
    profile: values.profile,
    tenant: values.tenant,
    sizeDatabases: sizeDatabases(values['size-databases']),
  };
}

function sizeDatabases(list: string | undefined): string[] {
  if (!list) return [];
  const urls = list.split(',').map((s) => s.trim());
  if (urls.length !== 2 || urls.some((u) => !/^postgres(ql)?:\/\//.test(u))) throw new Error('--size-databases takes two postgres:// URLs: the 10 % and the 50 % seed');
  return urls;
}

/** The same database as another role (no password: trust or a .pgpass entry). */
export function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = '';
  return u.toString();
}

/** A URL fit to print: no password. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
