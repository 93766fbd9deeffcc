// The scale seed's orchestration: a fresh database migrated with the project's migrations,
// the national office and its catalog, every body provisioned and adopting the standard
// templates through the real code, then two years of documents bulk-loaded by worker processes
// (one per core), the keys and indexes rebuilt, and statistics gathered.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { eq } from 'drizzle-orm';
import { hashPassword } from '#app/auth/password.server';
import { standardCatalog, standardCatalogHistory } from '#app/workflow/catalog/index';
import { seedStandardCatalog } from '#app/workflow/publishing/catalog.server';
import { connectPostgres, RUNTIME_ROLE } from '#db/client';
import { migratePostgres } from '#db/migrate';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { adoptStandardTemplates } from '#tenants/adoption';
import { DEMO_PASSWORD, demoTenants } from '#tenants/demo';
import { provisionTenant, provisionTenantIn } from '#tenants/provision';
import { bodies, bodySpec, slugsOf, staffSizes } from './country';
import { Random } from './random';
import { prepareForLoad, restoreAfterLoad, type SavedSchema } from './schema';
import type { TenantResult } from './simulate';
import { bulkTableNames } from './tables';
import type { WorkerJob, WorkerMessage } from './worker';

export const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/delovod_scale';

export interface ScaleOptions {
  tenants: number;
  staff: number;
  documents: number;
  /** URL of the owner role (creates the database if missing, migrates, loads). */
  databaseUrl: string;
  reset: boolean;
  seed: number;
  workers: number;
  /** The seed's "now" (ms): documents span the two years before it. */
  now: number;
}

const usage = 'npm run seed:scale -- [--tenants N] [--staff N] [--documents N] [--database-url URL] [--reset] [--seed N] [--workers N] [--now ISO-8601]';

export function parseScaleArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const o: ScaleOptions = {
    tenants: 174,
    staff: 50_000,
    documents: 2_000_000,
    databaseUrl: env.DATABASE_OWNER_URL ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    reset: false,
    seed: 1,
    workers: Math.min(2, availableParallelism()),
    // On the hour, so two runs within the hour with one seed write the same country.
    now: Math.floor(Date.now() / 3_600_000) * 3_600_000,
  };
  const count = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be a whole number ≥ ${min}\n${usage}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--tenants':
        o.tenants = count(flag, value(), 1);
        break;
      case '--staff':
        o.staff = count(flag, value(), 1);
        break;
      case '--documents':
        o.documents = count(flag, value(), 0);
        break;
      case '--database-url':
        o.databaseUrl = value();
        break;
      case '--reset':
        o.reset = true;
        break;
      case '--seed':
        o.seed = count(flag, value(), 0);
        break;
      case '--workers':
        o.workers = count(flag, value(), 1);
        break;
      case '--now': {
        const t = Date.parse(value());
        if (!Number.isFinite(t)) throw new RangeError(`--now must be an ISO-8601 instant\n${usage}`);
        o.now = t;
        break;
      }
      default:
        throw new RangeError(`unknown argument ${arg}\n${usage}`);
    }
  }
  if (!/^postgres(ql)?:\/\//.test(o.databaseUrl)) throw new RangeError(`--database-url must be a postgres:// URL\n${usage}`);
  return o;
}

export interface ScaleResult {
  databaseUrl: string;
  ownerUrl: string;
  password: string;
  seed: number;
  now: string;
  tenants: number;
  staff: number;
  documents: number;
  rows: Record<string, number>;
  byTemplate: Record<string, Record<string, number>>;
  largestTenant: {
    slug: string;
    name: string;
    staff: number;
    documents: number;
    signIn: { email: string; password: string; roles: string[]; pendingSteps: number };
    documentId: string | null;
    registryClerk: { email: string; password: string };
    hr: { email: string; password: string; pendingSteps: number };
  };
  seconds: Record<string, number>;
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

const withRole = (url: string, role: string) => {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  return u.toString();
};

/** Creates the database when missing (dropping it first with reset); refuses one that holds tenants. */
async function ensureDatabase(url: string, reset: boolean): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`database name ${name} must be a plain identifier`);
  const admin = postgres(withDatabase(url, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    if (reset) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

function secondsSince(t: number): number {
  return Math.round((Date.now() - t) / 100) / 10;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const duration = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

export async function seedScale(o: ScaleOptions, log: (line: string) => void): Promise<ScaleResult> {
  const started = Date.now();
  const seconds: Record<string, number> = {};
  await ensureDatabase(o.databaseUrl, o.reset);
  await migratePostgres(o.databaseUrl);
  const sql = postgres(o.databaseUrl, { max: 2, onnotice: () => {}, connection: { application_name: 'delovod-seed-scale' } });
  const handle = connectPostgres(o.databaseUrl, { max: 4, applicationName: 'delovod-seed-scale' });
  try {
    const [{ n }] = await sql`select count(*)::int as n from tenants`;
    if (n > 0) throw new Error(`the database already holds ${n} tenants; pass --reset to start it over`);

    // ---- the country, through the real provisioning and adoption code
    let t = Date.now();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const national = demoTenants.find((d) => d.kind === 'national')!;
    const { tenantId: nationalId } = await provisionTenant(handle.db, { ...national, staff: national.staff.map((s) => ({ ...s, passwordHash })) });
    await withTenantOn(handle.db, { tenantId: nationalId }, (tx) => seedStandardCatalog(tx, { nationalTenantId: nationalId, userId: null }, standardCatalogHistory));
    const keys = standardCatalog.map((d) => d.key);
    const list = bodies(o.tenants);
    const slugs = slugsOf(list);
    const sizes = staffSizes(o.tenants, o.staff);
    const totalStaff = sizes.reduce((a, b) => a + b, 0);
    const fromDate = new Date(o.now - 730 * 86_400_000).toISOString().slice(0, 10);
    const ids = list.map((_, i) => new Random(o.seed, 0x7e4a47, i).uuid());
    const queue = [...list.keys()];
    let provisioned = 0;
    await Promise.all(
      [0, 1].map(async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const spec = bodySpec(i, list[i], sizes[i], o.seed, passwordHash, slugs[i]);
          await withTenantOn(handle.db, { tenantId: ids[i] }, async (tx) => {
            await provisionTenantIn(tx, ids[i], spec, null);
            await adoptStandardTemplates(tx, ids[i], keys, null);
          });
          if (++provisioned % 20 === 0 || provisioned === list.length) log(`provisioned ${provisioned}/${list.length} bodies`);
        }
      }),
    );
    seconds.provision = secondsSince(t);
    log(`provisioned the national office and ${list.length} bodies with ${fmt(totalStaff)} staff in ${seconds.provision} s`);

    // ---- documents, bulk-loaded by the workers
    t = Date.now();
    const saved: SavedSchema = await prepareForLoad(sql);
    const docsOf = sizes.map((s) => Math.round((o.documents * s) / totalStaff));
    const bins: { load: number; tenants: WorkerJob['tenants'] }[] = Array.from({ length: Math.max(1, Math.min(o.workers, list.length)) }, () => ({ load: 0, tenants: [] }));
    for (const i of [...list.keys()].sort((a, b) => docsOf[b] - docsOf[a])) {
      const bin = bins.reduce((a, b) => (b.load < a.load ? b : a));
      bin.load += docsOf[i] + 1;
      bin.tenants.push({ tenantId: ids[i], index: i, documents: docsOf[i] });
    }
    for (const b of bins) b.tenants.sort((a, c) => a.index - c.index);
    const results = await runWorkers(
      bins.map((b) => ({ url: o.databaseUrl, seed: o.seed, now: o.now, fromDate, tenants: b.tenants })),
      o.documents,
      log,
    );
    seconds.load = secondsSince(t);

    t = Date.now();
    log('rebuilding keys, indexes and foreign keys');
    const second = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await restoreAfterLoad([sql, second], saved, log);
    } finally {
      await second.end();
    }
    seconds.indexes = secondsSince(t);
    t = Date.now();
    log('vacuum (analyze)');
    // Sets hint bits and the visibility map now, so the first reads after the seed do not write.
    await sql.unsafe(`vacuum (analyze) ${bulkTableNames.join(', ')}`);
    await sql`analyze`;
    seconds.analyze = secondsSince(t);

    // ---- what the bench needs
    const rows: Record<string, number> = {};
    for (const table of [...bulkTableNames, 'memberships', 'users', 'org_units', 'registry_counters']) {
      const [{ c }] = await sql`select reltuples::bigint as c from pg_class where relname = ${table} and relkind = 'r'`;
      rows[table] = Number(c);
    }
    const byTemplate: Record<string, Record<string, number>> = {};
    let documents = 0;
    for (const r of results) {
      documents += r.documents;
      for (const [k, states] of Object.entries(r.byTemplate)) {
        const into = (byTemplate[k] ??= {});
        for (const [s, c] of Object.entries(states)) into[s] = (into[s] ?? 0) + c;
      }
    }
    const largest = ids[0];
    const [tenant] = await handle.db.select().from(tenants).where(eq(tenants.id, largest));
    const signIn = await sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${largest}, true)`;
      const [approver] = await tx`
        select u.email, m.roles, m.id, count(s.id)::int as pending
        from memberships m join users u on u.id = m.user_id
        join document_steps s on s.tenant_id = m.tenant_id and s.assignee_id = m.id and s.state = 'pending' and s.kind = 'approve'
        where m.tenant_id = ${largest} and 'unit_head' = any(m.roles) and not 'chief_admin' = any(m.roles)
        group by u.email, m.roles, m.id order by count(s.id) desc, u.email limit 1`;
      const [doc] = approver
        ? await tx`select s.document_id from document_steps s where s.tenant_id = ${largest} and s.assignee_id = ${approver.id} and s.state = 'pending' and s.kind = 'approve' order by s.due_at limit 1`
        : [];
      const [clerk] = await tx`select u.email from memberships m join users u on u.id = m.user_id where m.tenant_id = ${largest} and 'registry_clerk' = any(m.roles) order by u.email limit 1`;
      const [hr] = await tx`
        select u.email, (select count(*)::int from document_steps s where s.tenant_id = m.tenant_id and s.assignee_id = m.id and s.state = 'pending') as pending
        from memberships m join users u on u.id = m.user_id where m.tenant_id = ${largest} and 'hr' = any(m.roles) order by u.email limit 1`;
      return { approver, doc, clerk, hr };
    });
    seconds.total = secondsSince(started);
    return {
      databaseUrl: withRole(o.databaseUrl, RUNTIME_ROLE),
      ownerUrl: o.databaseUrl,
      password: DEMO_PASSWORD,
      seed: o.seed,
      now: new Date(o.now).toISOString(),
      tenants: list.length,
      staff: totalStaff,
      documents,
      rows,
      byTemplate,
      largestTenant: {
        slug: tenant.slug,
        name: tenant.nameLatn,
        staff: sizes[0],
        documents: results.find((r) => r.tenantId === largest)?.documents ?? 0,
        signIn: { email: signIn.approver?.email ?? '', password: DEMO_PASSWORD, roles: signIn.approver?.roles ?? [], pendingSteps: signIn.approver?.pending ?? 0 },
        documentId: signIn.doc?.document_id ?? null,
        registryClerk: { email: signIn.clerk?.email ?? '', password: DEMO_PASSWORD },
        hr: { email: signIn.hr?.email ?? '', password: DEMO_PASSWORD, pendingSteps: signIn.hr?.pending ?? 0 },
      },
      seconds,
    };
  } finally {
    await handle.close();
    await sql.end();
  }
}

/** Forks the workers, shows their progress on stderr, and collects each tenant's result. */
async function runWorkers(jobs: WorkerJob[], target: number, log: (line: string) => void): Promise<(TenantResult & { tenantId: string })[]> {
  const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const progress = jobs.map(() => ({ documents: 0, rows: 0 }));
  const results: (TenantResult & { tenantId: string })[] = [];
  const started = Date.now();
  const children = jobs.map(() => fork(script, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=6144'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const show = () => {
    const docs = progress.reduce((a, p) => a + p.documents, 0);
    const rows = progress.reduce((a, p) => a + p.rows, 0);
    const s = (Date.now() - started) / 1000;
    const eta = docs > 0 && target > docs ? duration(((target - docs) * s) / docs) : '—';
    log(`documents ${fmt(docs)}/${fmt(target)} (${target ? ((100 * docs) / target).toFixed(1) : '100'} %), rows ${fmt(rows)}, ${fmt(rows / Math.max(s, 0.001))} rows/s, elapsed ${duration(s)}, ETA ${eta}`);
  };
  const timer = setInterval(show, 5000);
  try {
    await Promise.all(
      children.map(
        (child, w) =>
          new Promise<void>((resolve, reject) => {
            let failure: string | undefined;
            child.on('message', (m: WorkerMessage) => {
              if (m.type === 'progress') progress[w] = { documents: m.documents, rows: m.rows };
              else if (m.type === 'tenant') results.push({ ...m.result, tenantId: m.tenantId });
              else if (m.type === 'error') failure = m.message;
            });
            child.on('exit', (code) => (code === 0 && !failure ? resolve() : reject(new Error(`seed worker ${w} failed: ${failure ?? `exit code ${code}`}`))));
            child.send(jobs[w]);
          }),
      ),
    );
  } catch (error) {
    for (const c of children) if (c.exitCode === null) c.kill();
    throw new Error(`${(error as Error).message}\nThe database is incomplete: run again with --reset.`);
  } finally {
    clearInterval(timer);
  }
  show();
  return results;
}
