// npm run bench:ab -- <checkout A> <checkout B> — two builds of the web process side by side on
// the seeded database, each its own process under the same load at the same time, and each
// one's CPU time per request (from the kernel). A change of a few per cent is below what one
// `npm run bench` run can tell on a shared machine, whose speed drifts by more than that from
// one run to the next; two builds measured together drift alike. The same build against itself
// comes out within about 1 %.
//
// A checkout is a folder with the project built in it, e.g. `git worktree add /tmp/a HEAD~1`,
// then `ln -s "$PWD/node_modules" /tmp/a/` and `(cd /tmp/a && npm run build)`.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { DEMO_PASSWORD } from '#tenants/demo';
import { signIn } from './bench/http';
import { browserHeaders, load } from './bench/load';
import { withUser } from './bench/options';
import { startAppServer, type Child } from './bench/processes';
import { findScene } from './bench/scene';

const usage = `npm run bench:ab -- <checkout A> <checkout B> [options]

  --path PATH          the page to load: a path with :tenant for the large tenant's slug and
                       :doc for a document of its card row (default /t/:tenant/inbox, as the approver)
  --seconds S          seconds per round (default 10)
  --rounds N           measured rounds (default 3), after 4 s unmeasured
  --connections N      connections to each server (default 4)
  --database-url URL   seeded database, as a role RLS does not bind
                       (default $BENCH_DATABASE_URL or postgres://root@127.0.0.1:5432/delovod_scale)
  --app-url URL        the runtime role on it (default: the same URL as user delovod_app)
`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    path: { type: 'string', default: '/t/:tenant/inbox' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '4' },
    'database-url': { type: 'string' },
    'app-url': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || positionals.length !== 2) {
  console.log(usage);
  process.exit(values.help ? 0 : 1);
}
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
if (![seconds, rounds, connections].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--seconds, --rounds and --connections take whole numbers above 0');
  process.exit(1);
}
const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/delovod_scale';
const appUrl = values['app-url'] ?? withUser(databaseUrl, 'delovod_app');

const admin = postgres(databaseUrl, { max: 2, onnotice: () => {} });
const servers: Child[] = [];
try {
  const scene = await findScene(admin, undefined, true);
  const path = values.path.replace(':tenant', scene.main.slug).replace(':doc', scene.main.cardDocuments[0] ?? ':doc');
  const started = await Promise.all(
    positionals.map(async (checkout) => {
      const server = await startAppServer({ appUrl, pool: 10, webProcesses: 1, logLevel: 'info', checkout: resolve(checkout) });
      servers.push(server);
      const cookie = await signIn(server.url, scene.main.approver.email, process.env.BENCH_PASSWORD ?? DEMO_PASSWORD);
      return { checkout, server, spec: { url: `${server.url}${path}`, connections, headers: { ...browserHeaders, cookie }, expect: 200 } };
    }),
  );
  console.log(`${path}: ${connections} connections to each, ${rounds} rounds of ${seconds} s, one web process each`);
  await Promise.all(started.map((s) => load({ ...s.spec, duration: 4 })));
  const totals = started.map(() => ({ cpuMs: 0, requests: 0 }));
  for (let round = 1; round <= rounds; round++) {
    const before = started.map((s) => s.server.cpuMs() ?? NaN);
    const results = await Promise.all(started.map((s) => load({ ...s.spec, duration: seconds })));
    const perRequest = started.map((s, i) => {
      const cpuMs = (s.server.cpuMs() ?? NaN) - before[i];
      totals[i].cpuMs += cpuMs;
      totals[i].requests += results[i].requests;
      return cpuMs / results[i].requests;
    });
    console.log(`round ${round}: A ${perRequest[0].toFixed(3)} ms/request (${results[0].requests}), B ${perRequest[1].toFixed(3)} ms/request (${results[1].requests}), B/A ${(perRequest[1] / perRequest[0]).toFixed(3)}`);
  }
  const [a, b] = totals.map((t) => t.cpuMs / t.requests);
  if (Number.isNaN(a) || Number.isNaN(b)) throw new Error('CPU time per process needs Linux (/proc)');
  console.log(`A ${started[0].checkout}: ${a.toFixed(3)} ms of CPU a request`);
  console.log(`B ${started[1].checkout}: ${b.toFixed(3)} ms of CPU a request`);
  console.log(`B/A ${(b / a).toFixed(3)}`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await admin.end();
}
