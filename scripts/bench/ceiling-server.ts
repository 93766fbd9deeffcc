// The bare ceiling of `npm run bench` (row 1) and the tenant transaction's cost (row 5): a
// node:http server that runs the inbox's SQL and answers its rows as JSON, nothing else.
//   /ceiling   postgres.js, prepared, a role RLS does not bind, no transaction
//   /bare      the same through drizzle's db.execute, no transaction
//   /owner-tx  withTenant's read-only transaction, as a page's reads run in it (BEGIN READ ONLY,
//              set_config, query, COMMIT), as that role
//   /rls       withTenant as the runtime role: the transaction and row level security
import { createServer } from 'node:http';
import postgres from 'postgres';
import { connectPostgres, drizzleOnPostgres, postgresTarget } from '#db/client';
import { withTenantOn } from '#db/tenant';
import type { CeilingSpec } from './processes';
import { sqlOf } from './sql';

const spec = JSON.parse(process.env.BENCH_SPEC!) as CeilingSpec;
const target = postgresTarget(spec.ownerUrl);
const raw = postgres(target.url, { ...(target.path ? { path: target.path } : {}), max: spec.pool, onnotice: () => {}, connection: { application_name: 'delovod-bench-ceiling' } });
// drizzle as the product runs it (connectPostgres), on the same pool.
const owner = drizzleOnPostgres(raw);
const app = connectPostgres(spec.appUrl, { max: spec.pool, applicationName: 'delovod-bench-rls' });
const query = sqlOf(spec);
const scope = { tenantId: spec.tenantId, userId: spec.userId };
// The kind of transaction the inbox's reads run in: read only, its COMMIT not waited for.
const readOnly = { readOnly: true };

const routes: Record<string, () => Promise<unknown>> = {
  '/ceiling': () => raw.unsafe(spec.text, spec.params as never[], { prepare: true }),
  '/bare': () => owner.execute(query),
  '/owner-tx': () => withTenantOn(owner, scope, (tx) => tx.execute(query), readOnly),
  '/rls': () => withTenantOn(app.db, scope, (tx) => tx.execute(query), readOnly),
  '/healthz': async () => [],
};

const server = createServer((req, res) => {
  const route = routes[req.url ?? ''];
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  route().then(
    (rows) => {
      const body = JSON.stringify(rows);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
    (error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void Promise.all([raw.end({ timeout: 2 }), app.close()]).then(() => process.exit(0));
});
