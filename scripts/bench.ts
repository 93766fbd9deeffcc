// npm run bench — one table (and the same figures as JSON) for an already-seeded database, every
// row measured in this run: the bare ceiling, the framework floor, the pages users get, the
// actions, the tenant transaction's cost, the background work, the web process's memory and the
// inbox at three sizes. See README "Performance" and scripts/bench/*.ts for each row's method.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import postgres from 'postgres';
import { assertRuntimeRole, connectPostgres, postgresTarget } from '#db/client';
import { migratePostgres } from '#db/migrate';
import { DEMO_PASSWORD } from '#tenants/demo';
import { measureActions } from './bench/actions';
import { page, signIn } from './bench/http';
import { measureJobs, measureReport, measureSweepQuery } from './bench/jobs';
import { browserHeaders, combine, load, measure, QUICK, type LoadResult, type LoadSpec } from './bench/load';
import { parseOptions, redact, usage, withUser, type RowNumber } from './bench/options';
import { explainBare, explainRls } from './bench/plans';
import { startAppServer, startCeilingServer, startFloorServer, startOptions, type Child } from './bench/processes';
import { assess, table, type BenchResults, type Page, type RoundFigure, type SizeFigure } from './bench/report';
import { findScene } from './bench/scene';

const parsed = parseOptions(process.argv.slice(2));
if (parsed === 'help') {
  console.log(usage);
  process.exit(0);
}
const o = parsed;
const wants = (...rows: RowNumber[]) => rows.some((r) => o.only.has(r));
const begun = Date.now();
const say = (text: string) => process.stderr.write(`[bench ${((Date.now() - begun) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
const password = process.env.BENCH_PASSWORD ?? DEMO_PASSWORD;

// URLs may name a Unix socket folder (?host=/var/run/postgresql), as DATABASE_URL may.
const connect = (url: string, options: postgres.Options<Record<string, never>>) => {
  const target = postgresTarget(url);
  return postgres(target.url, { ...options, ...(target.path ? { path: target.path } : {}) });
};
const admin = connect(o.databaseUrl, { max: 4, onnotice: () => {}, connection: { application_name: 'delovod-bench' } });
const appSql = connect(o.appUrl, { max: 2, onnotice: () => {}, connection: { application_name: 'delovod-bench' } });
const app = connectPostgres(o.appUrl, { max: 8, applicationName: 'delovod-bench' });
const children: Child[] = [];
// Stopped early (Ctrl-C, a test's timeout): the server processes go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void Promise.all(children.map((c) => c.stop().catch(() => {}))).finally(() => process.exit(130));
  });
}

/**
 * Waits until no query of the measured processes runs in the measured databases: a run that
 * ends leaves requests the server still works on, and they must not slow the next run down.
 * Returns the seconds waited.
 */
async function settle(): Promise<number> {
  const started = Date.now();
  const names = [o.databaseUrl, ...o.sizeDatabases].map((u) => decodeURIComponent(new URL(u).pathname.slice(1)));
  for (;;) {
    const [{ busy }] = await admin<{ busy: number }[]>`
      select count(*)::int as busy from pg_stat_activity
      where datname = any(${names}::text[]) and state <> 'idle' and pid <> pg_backend_pid() and application_name <> 'delovod-bench'`;
    if (busy === 0 || Date.now() - started > 600_000) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // What is left after the database answered: rendering and sending.
  await new Promise((r) => setTimeout(r, 300));
  return Math.round((Date.now() - started) / 100) / 10;
}

/**
 * With autovacuum off on the server, earlier runs' dead rows pile up where the next run reads:
 * approvals leave dead entries in the approver's range of the inbox index, the jobs row the
 * outbox's relayed rows. A production server vacuums them; the tables it would have vacuumed by
 * now (autovacuum's own rule, with each table's settings) are vacuumed first.
 */
async function vacuumAsAutovacuumWould(): Promise<{ autovacuum: string; vacuumed: string[] }> {
  const [{ autovacuum }] = await admin<{ autovacuum: string }[]>`select current_setting('autovacuum') as autovacuum`;
  if (autovacuum === 'on') return { autovacuum, vacuumed: [] };
  // A table's setting as set on it, else the server's.
  const setting = (name: string) => admin`coalesce((select option_value::float from pg_options_to_table(c.reloptions) where option_name = ${name}), current_setting(${name})::float)`;
  const due = await admin<{ table: string }[]>`
    select s.relname as table from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = 'public' and s.n_dead_tup > ${setting('autovacuum_vacuum_threshold')} + ${setting('autovacuum_vacuum_scale_factor')} * s.n_live_tup
    order by 1`;
  for (const { table } of due) await admin.unsafe(`vacuum ${table}`);
  return { autovacuum, vacuumed: due.map((t) => t.table) };
}

async function main(): Promise<BenchResults> {
  // A database seeded before this build's migrations would fail the build's statements (a job
  // reading a column it lacks retries until the row's deadline): bring it to this build's schema
  // first, as a deployment would.
  for (const url of [o.databaseUrl, ...o.sizeDatabases]) await migratePostgres(url);
  say('the measured databases have this build\'s schema (migrated)');
  await assertRuntimeRole(app.db);
  // A freshly loaded table that autovacuum has not analyzed yet plans as if empty.
  const unanalyzed = await admin<{ table: string }[]>`
    select relname as table from pg_stat_user_tables
    where schemaname = 'public' and n_live_tup > 0 and last_analyze is null and last_autoanalyze is null order by 1`;
  for (const { table: name } of unanalyzed) await admin.unsafe(`analyze ${name}`);
  if (unanalyzed.length) say(`analyzed ${unanalyzed.map((t) => t.table).join(', ')} (never analyzed)`);
  const { autovacuum, vacuumed } = await vacuumAsAutovacuumWould();
  if (vacuumed.length) say(`vacuumed ${vacuumed.join(', ')} (autovacuum is off; it would have)`);
  say(`finding the large tenant and its people in ${redact(o.databaseUrl)}`);
  const scene = await findScene(admin, o.tenant);
  const { main: large } = scene;
  const [{ server_version: postgresVersion }] = await admin<{ server_version: string }[]>`show server_version`;
  // What decides the figures as much as the code: how much of the data PostgreSQL keeps in its
  // own cache, and whether each COMMIT waits for the disk.
  const [pgSettings] = await admin<{ shared_buffers: string; synchronous_commit: string }[]>`
    select current_setting('shared_buffers') as shared_buffers, current_setting('synchronous_commit') as synchronous_commit`;
  const results: BenchResults = {
    startedAt: new Date(begun).toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: postgresVersion,
      postgresSettings: `shared_buffers ${pgSettings.shared_buffers}, synchronous_commit ${pgSettings.synchronous_commit}, autovacuum ${autovacuum}`,
      platform: `${process.platform} ${process.arch}`,
      loadBefore: loadavg(),
    },
    database: { url: redact(o.databaseUrl), appUrl: redact(o.appUrl), role: scene.role.name, analyzed: unanalyzed.map((t) => t.table), vacuumed, ...scene.totals },
    subject: {
      tenant: large.slug,
      documents: large.documents,
      staff: large.staff,
      approver: large.approver.email,
      approverPending: large.approver.pending,
      inboxRows: scene.inboxRows,
      clerk: large.clerk.email,
      authors: large.authors.length,
      cardDocuments: large.cardDocuments.length,
    },
    options: { duration: o.duration, warmup: o.warmup, quick: o.quick, only: [...o.only].sort(), pool: o.pool, webProcesses: o.webProcesses, logLevel: o.logLevel, nodeOptions: startOptions(), workerNodeOptions: startOptions('worker'), jobs: o.jobs, jobProcesses: o.jobProcesses },
    rows: {},
    targets: [],
  };
  const run = (what: string, spec: Omit<LoadSpec, 'duration' | 'expect'> & { expect?: number }): Promise<LoadResult> => {
    say(`${what}: ${o.quick ? `${QUICK} requests (--quick)` : `${spec.connections} connections, ${o.duration} s`}`);
    return measure({ duration: o.duration, expect: 200, ...spec }, o.warmup, o.quick, settle);
  };

  // Rows 5 and 1: the ceiling server, alone on the machine.
  if (wants(1, 5)) {
    const ceiling = await startCeilingServer(
      {
        ownerUrl: o.databaseUrl,
        appUrl: o.appUrl,
        text: scene.inboxSql.text,
        params: scene.inboxSql.params,
        tenantId: large.id,
        userId: large.approver.userId,
        pool: o.pool,
      },
      o.profile,
    );
    children.push(ceiling);
    const json = { accept: 'application/json' };
    if (wants(5)) {
      say('row 5: EXPLAIN ANALYZE bare and under RLS');
      const plans = { bare: await explainBare(admin, scene.inboxSql), rls: await explainRls(appSql, scene.inboxSql, { tenantId: large.id, userId: large.approver.userId }) };
      // Interleaved slices (bare, transaction, RLS, bare, …) so that a machine whose load drifts
      // during the row weighs on the three alike.
      const variants = [
        { key: 'bare', what: 'inbox SQL bare', path: '/bare' },
        { key: 'ownerTx', what: 'inbox SQL in a tenant transaction', path: '/owner-tx' },
        { key: 'rls', what: 'inbox SQL through withTenant as the runtime role', path: '/rls' },
      ] as const;
      const slices = o.quick ? 1 : 3;
      const runs: Record<(typeof variants)[number]['key'], LoadResult[]> = { bare: [], ownerTx: [], rls: [] };
      say(`row 5: ${variants.map((v) => v.what).join(', ')}: ${slices} interleaved slices each`);
      for (let slice = 0; slice < slices; slice++) {
        for (const v of variants) {
          const spec = { url: `${ceiling.url}${v.path}`, connections: 32, headers: json, duration: o.duration / slices, expect: 200, keep: true };
          runs[v.key].push(await measure(spec, slice === 0 ? o.warmup : 0, o.quick, settle));
        }
      }
      const [bare, ownerTx, rls] = variants.map((v) => combine(runs[v.key]));
      results.rows['5'] = { bare, ownerTx, rls, txCost: bare.reqPerSec / ownerTx.reqPerSec - 1, rlsCost: ownerTx.reqPerSec / rls.reqPerSec - 1, plans };
    }
    if (wants(1)) results.rows['1'] = { ceiling: await run('row 1: bare ceiling', { url: `${ceiling.url}/ceiling`, connections: 32, headers: json }) };
    await ceiling.stop();
  }

  // Rows 2, 3, 7, 8 and 4: the real web process.
  if (wants(2, 3, 4, 7, 8, 9)) {
    say('starting build/server.js as npm start does (NODE_ENV=production, runtime role)');
    const web = await startAppServer({ appUrl: o.appUrl, pool: o.pool, webProcesses: o.webProcesses, logLevel: o.logLevel, profileDir: o.profile });
    children.push(web);
    const base = web.url;
    const cookies = new Map<string, string>();
    const cookieOf = async (email: string) => {
      if (!cookies.has(email)) cookies.set(email, await signIn(base, email, password));
      return cookies.get(email)!;
    };
    const approverCookie = await cookieOf(large.approver.email);
    const pageHeaders = (cookie: string) => ({ ...browserHeaders, cookie });
    const inboxPath = `/t/${large.slug}/inbox`;
    const registryPath = `/t/${large.slug}/registry`;
    const cardPaths = large.cardDocuments.map((id) => `/t/${large.slug}/documents/${id}`);
    const clerkCookie = await cookieOf(large.clerk.email);
    let card = 0;
    const nextCard = () => ({ path: cardPaths[card++ % cardPaths.length] });

    // A fresh process compiles as it goes: every page once under light load first, unmeasured,
    // so the first row measured does not pay for the JIT of all the others.
    if (!o.quick && o.warmup > 0) {
      say('warming the web process up (unmeasured)');
      const warm = [
        { url: `${base}${inboxPath}`, headers: pageHeaders(approverCookie) },
        ...(cardPaths.length ? [{ url: base, headers: pageHeaders(approverCookie), next: nextCard }] : []),
        { url: `${base}${registryPath}`, headers: pageHeaders(clerkCookie) },
      ];
      for (const w of warm) {
        await load({ ...w, connections: 4, duration: 2 * o.warmup, expect: 200 });
        await settle();
      }
    }

    if (wants(2)) {
      say('starting the framework floor (scripts/bench/floor: a plain Remix page of the inbox\'s rows)');
      const floor = await startFloorServer({ ownerUrl: o.databaseUrl, pool: o.pool, inboxSql: scene.inboxSql, profileDir: o.profile });
      children.push(floor);
      const body = await page(floor.url, '/', null);
      if (scene.inboxRows && !body.includes('<tbody><tr')) throw new Error('the framework floor rendered no rows');
      if (!o.quick && o.warmup > 0) await load({ url: `${floor.url}/`, headers: browserHeaders, connections: 4, duration: 2 * o.warmup, expect: 200 });
      results.rows['2'] = { floor: await run('row 2: framework floor', { url: `${floor.url}/`, connections: 32, headers: browserHeaders }) };
      await floor.stop();
    }

    const rounds: RoundFigure[] = [];
    const idleRssMb = web.rssMb();
    if (wants(3, 7)) {
      await page(base, inboxPath, approverCookie);
      await page(base, registryPath, clerkCookie);
      for (const path of cardPaths.slice(0, 3)) await page(base, path, approverCookie);
      const cardSpec = () => ({ url: base, connections: 32, headers: pageHeaders(approverCookie), next: nextCard });
      const roundsWanted = wants(7) ? 3 : 1;
      for (let round = 1; round <= roundsWanted; round++) {
        const inbox = await run(`round ${round}: inbox page`, { url: `${base}${inboxPath}`, connections: 32, headers: pageHeaders(approverCookie) });
        const inbox4 = round === 1 ? await run(`round ${round}: inbox page`, { url: `${base}${inboxPath}`, connections: 4, headers: pageHeaders(approverCookie) }) : null;
        const cardLoad = await run(`round ${round}: document card`, cardSpec());
        const registry = await run(`round ${round}: registry log`, { url: `${base}${registryPath}`, connections: 32, headers: pageHeaders(clerkCookie) });
        rounds.push({ round, rssMb: web.rssMb(), reqPerSec: { inbox: inbox.reqPerSec, card: cardLoad.reqPerSec, registry: registry.reqPerSec } });
        say(`round ${round}: web process RSS ${rounds.at(-1)!.rssMb} MB`);
        if (round === 1 && wants(3)) {
          const ceiling = results.rows['1']?.ceiling.reqPerSec;
          const floor = results.rows['2']?.floor.reqPerSec;
          const ratios = (l: LoadResult): Page => ({ ...l, ratioToCeiling: ceiling ? l.reqPerSec / ceiling : null, ratioToFloor: floor ? l.reqPerSec / floor : null });
          results.rows['3'] = { inbox: ratios(inbox), inbox4: inbox4!, card: ratios(cardLoad), registry: ratios(registry) };
        }
      }
      if (wants(7)) results.rows['7'] = { idleRssMb, rounds, growthMb: Math.round((rounds[2].rssMb - rounds[0].rssMb) * 10) / 10 };
    }

    if (wants(8)) {
      const sizes: SizeFigure[] = [];
      if (o.sizeDatabases.length) {
        // Smaller seeds of the same country, each served by its own web process in turn.
        for (const [i, url] of o.sizeDatabases.entries()) {
          const target = [0.1, 0.5][i];
          const other = connect(url, { max: 2, onnotice: () => {} });
          try {
            const small = await findScene(other, undefined, true);
            const server = await startAppServer({ appUrl: withUser(url, 'delovod_app'), pool: o.pool, webProcesses: o.webProcesses, logLevel: o.logLevel, profileDir: o.profile });
            children.push(server);
            const cookie = await signIn(server.url, small.main.approver.email, password);
            const path = `/t/${small.main.slug}/inbox`;
            await page(server.url, path, cookie);
            // Warmed up as the main web process was, so a cold JIT does not count as size.
            if (!o.quick && o.warmup > 0) {
              await load({ url: `${server.url}${path}`, headers: pageHeaders(cookie), connections: 4, duration: 4 * o.warmup, expect: 200 });
              await settle();
            }
            const inbox = await run(`row 8: inbox at ${Math.round(target * 100)}% size (${redact(url)}, ${small.main.slug})`, { url: `${server.url}${path}`, connections: 32, headers: pageHeaders(cookie) });
            await server.stop();
            sizes.push({ target, tenant: `${small.main.slug} in ${new URL(url).pathname.slice(1)}`, documents: small.totals.documents, share: small.totals.documents / scene.totals.documents, approverPending: small.main.approver.pending, inbox });
          } finally {
            await other.end({ timeout: 5 });
          }
        }
      }
      for (const s of scene.sizes.filter((z) => !o.sizeDatabases.length || z.target === 1)) {
        const cookie = await cookieOf(s.approver.email);
        const path = `/t/${s.slug}/inbox`;
        await page(base, path, cookie);
        const inbox = await run(`row 8: inbox at ${Math.round(s.target * 100)}% size (${s.slug})`, { url: `${base}${path}`, connections: 32, headers: pageHeaders(cookie) });
        const whole = o.sizeDatabases.length > 0;
        sizes.push({
          target: s.target,
          tenant: s.slug,
          documents: whole ? scene.totals.documents : s.documents,
          share: whole ? 1 : s.documents / large.documents,
          approverPending: s.approver.pending,
          inbox,
        });
      }
      const tenth = sizes.find((s) => s.target === 0.1)!;
      const full = sizes.find((s) => s.target === 1)!;
      results.rows['8'] = {
        method: o.sizeDatabases.length
          ? 'Three databases: the ones given to --size-databases (seeded at about 10 % and 50 %) and this one; in each, the inbox of the largest tenant’s busiest unit head, at 32 connections, each database served by its own web process. Shares are of all documents.'
          : 'One database: for 10 % and 50 %, the tenant whose document count is closest to that share of the large tenant (with a unit head who has pending approvals); 100 % is the large tenant. Each inbox is its busiest unit head’s, at 32 connections. Queries are tenant-scoped and keyed tenant-first, so a tenant’s size is what its inbox sees.',
        sizes,
        p95FullOverTenth: tenth.inbox.p95 ? full.inbox.p95 / tenth.inbox.p95 : 0,
      };
    }

    if (wants(4)) {
      say('row 4: preparing documents and posting submits and approvals');
      const authors = [];
      for (const a of large.authors) authors.push({ ...a, unitId: large.approver.unitId, cookie: await cookieOf(a.email) });
      results.rows['4'] = await measureActions({
        admin,
        app: app.db,
        base,
        slug: large.slug,
        tenantId: large.id,
        approver: { ...large.approver, cookie: approverCookie },
        authors,
        duration: o.duration,
        maxActions: o.maxActions,
        quick: o.quick,
      });
    }
    if (wants(9)) {
      // The input boundary's refusals of a signed-in member's malformed posts to the document
      // card (issue 23): what a hostile client costs the server, each class at 8 connections. A
      // browser gets the card page with its error summary (rendered like a GET of the card); a
      // script, the plain error page: the boundary's own cost.
      const card = cardPaths[0] ?? `/t/${large.slug}/documents/00000000-0000-4000-8000-000000000000`;
      const post = (path: string, body: string, type: string) => () => ({ path, method: 'POST', body, headers: { 'content-type': type, origin: base } });
      const scriptHeaders = { cookie: approverCookie, accept: '*/*', 'user-agent': 'curl/8.5.0' };
      const spec = (next: () => { path: string; method: string; body: string; headers: Record<string, string> }, expect: number, headers: Record<string, string> = pageHeaders(approverCookie)) => ({ url: base, connections: 8, headers, next, expect });
      say('row 9: refusals of malformed posts at 8 connections');
      results.rows['9'] = {
        unsupported: await run('row 9: not a form (415)', spec(post(card, '{"intent":"act"}', 'application/json'), 415)),
        malformedId: await run('row 9: malformed id (404)', spec(post(`/t/${large.slug}/documents/not-a-uuid`, 'intent=act&version=1', 'application/x-www-form-urlencoded'), 404)),
        tooLarge: await run('row 9: body over the limit (413)', spec(post(card, `intent=save&version=1&x=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded'), 413)),
        unsupportedScript: await run('row 9: not a form (415), as a script', spec(post(card, '{"intent":"act"}', 'application/json'), 415, scriptHeaders)),
        tooLargeScript: await run('row 9: body over the limit (413), as a script', spec(post(card, `intent=save&version=1&x=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded'), 413, scriptHeaders)),
      };
    }
    await web.stop();
  }

  if (wants(6)) {
    say('row 6: monthly report');
    const report = await measureReport(admin, app.db, large.id, large.staff, large.approver.membershipId);
    say('row 6: reminder sweep query');
    const sweep = await measureSweepQuery(app.db);
    say(`row 6: outbox → completion, ${o.jobs} jobs`);
    const jobs = await measureJobs({ admin, app: app.db, appUrl: o.appUrl, redisUrl: o.redisUrl, processes: o.jobProcesses, profileDir: o.profile, tenantId: large.id, recipientId: large.approver.membershipId, documentId: large.cardDocuments[0] ?? null, jobs: o.jobs });
    results.rows['6'] = { report, sweep, jobs };
  }
  return results;
}

let exitCode = 0;
try {
  const results = await main();
  results.finishedAt = new Date().toISOString();
  results.machine.loadAfter = loadavg();
  results.targets = assess(results);
  results.table = table(results);
  writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(results.table);
  say(`wrote ${o.out}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  for (const c of children) await c.stop().catch(() => {});
  await Promise.all([admin.end({ timeout: 5 }), appSql.end({ timeout: 5 }), app.close()]);
}
process.exit(exitCode);
