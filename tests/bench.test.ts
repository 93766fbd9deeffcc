// `npm run bench -- --quick` on a tiny database, so the benchmark cannot rot: every row is
// measured and every figure is a positive number. (The figures themselves mean nothing here.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { connectPostgres } from '#db/client';
import type { BenchResults } from '../scripts/bench/report';
import { fillBenchFixture } from './support/bench-fixture';
import { adminUrl, createTestDatabase, type TestDatabase } from './support/pg';

const root = fileURLToPath(new URL('../', import.meta.url));
let database: TestDatabase;
let dir: string;
let running: ChildProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  const app = connectPostgres(database.appUrl, { max: 4 });
  try {
    await fillBenchFixture(app.db, { requests: 16 });
  } finally {
    await app.close();
  }
  dir = await mkdtemp(join(tmpdir(), 'delovod-bench-test-'));
});

afterAll(async () => {
  // A timed-out run stops here; the bench stops its own server processes on SIGTERM.
  if (running && running.exitCode === null) {
    running.kill('SIGTERM');
    await new Promise((r) => running!.once('exit', r));
  }
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function bench(args: string[], script = 'scripts/bench.ts'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: process.env });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// About a minute alone; it starts a web server, worker processes and autocannon, so with the
// rest of the suite on the same two cores it can take twice that.
// The bench reads as a role row level security does not bind, as seed:scale's owner is.
const ownerUrl = () => {
  const url = new URL(adminUrl);
  url.pathname = `/${database.name}`;
  return url;
};

test('npm run bench -- --quick measures every row with positive figures and prints one table', { timeout: 420_000 }, async () => {
  const url = ownerUrl();
  const out = join(dir, 'bench.json');
  const run = await bench(['--quick', '--database-url', url.toString(), '--app-url', database.appUrl, '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  const r = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
  expect(r.machine.cores).toBeGreaterThan(0);
  expect(Object.keys(r.rows).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);

  const served = (l: { reqPerSec: number; p50: number; p95: number; p99: number; requests: number; errors: number }) => {
    expect(l.errors).toBe(0);
    for (const n of [l.reqPerSec, l.p50, l.p95, l.p99, l.requests]) expect(n).toBeGreaterThan(0);
  };
  served(r.rows['1']!.ceiling);
  // Row 9: refusals, each class answered with its own status (the boundary's), never an error.
  for (const l of Object.values(r.rows['9']!)) served(l);
  served(r.rows['2']!.floor);
  const pages = r.rows['3']!;
  for (const l of [pages.inbox, pages.inbox4, pages.card, pages.registry]) served(l);
  expect(pages.inbox.ratioToFloor).toBeGreaterThan(0);
  expect(pages.inbox.ratioToCeiling).toBeGreaterThan(0);
  const actions = r.rows['4']!;
  served(actions.submit);
  served(actions.approve);
  // Every request was a real transition.
  expect(actions.submit.transitions).toBe(actions.submit.requests);
  expect(actions.approve.transitions).toBe(actions.approve.requests);
  const tenancy = r.rows['5']!;
  for (const l of [tenancy.bare, tenancy.ownerTx, tenancy.rls]) served(l);
  expect(typeof tenancy.plans.rls.tenantIndexCond).toBe('boolean');
  expect(tenancy.plans.rls.executionMs).toBeGreaterThan(0);
  const jobs = r.rows['6']!;
  expect(jobs.report.ms).toBeGreaterThan(0);
  expect(jobs.sweep.ms).toBeGreaterThan(0);
  expect(jobs.jobs.jobsPerSec).toBeGreaterThan(0);
  expect(jobs.jobs.processes).toBeGreaterThanOrEqual(1);
  expect(r.rows['7']!.rounds.map((q) => q.rssMb).every((mb) => mb > 0)).toBe(true);
  expect(r.rows['7']!.rounds).toHaveLength(3);
  const sizes = r.rows['8']!.sizes;
  expect(sizes.map((s) => s.target)).toEqual([0.1, 0.5, 1]);
  for (const s of sizes) served(s.inbox);
  // One table on stdout, with the same figures as the JSON.
  expect(run.stdout.trim()).toBe(r.table);
  expect(r.table).toContain(`${r.machine.cores} cores`);
  expect(r.table).toMatch(/shared_buffers \d+[kMG]B, synchronous_commit on/);
});

test('npm run bench:ab measures two builds side by side: this one against itself', { timeout: 120_000 }, async () => {
  const args = [root, root, '--seconds', '1', '--rounds', '1', '--connections', '2', '--database-url', ownerUrl().toString(), '--app-url', database.appUrl];
  const run = await bench(args, 'scripts/bench-ab.ts');
  expect(run.code, run.stderr).toBe(0);
  const perRequest = [...run.stdout.matchAll(/^[AB] .*: ([\d.]+) ms of CPU a request$/gm)].map((m) => Number(m[1]));
  expect(perRequest).toHaveLength(2);
  for (const ms of perRequest) expect(ms).toBeGreaterThan(0);
  expect(run.stdout).toMatch(/^B\/A \d+\.\d{3}$/m);
});

test('npm run bench:pages measures what each page costs the browser, with and without JavaScript, and the scripts a page loads', { timeout: 120_000 }, async () => {
  const run = await bench(['--navigations', '3', '--database-url', ownerUrl().toString(), '--app-url', database.appUrl], 'scripts/bench-pages.ts');
  expect(run.code, run.stderr).toBe(0);
  const rows = [...run.stdout.matchAll(/^(inbox|document card|my documents|new document) +(on|off) +(\d+) +([\d.]+) +(\d+) +(\d+|-) +(\d+|-)$/gm)];
  expect(rows.map((r) => `${r[1]} ${r[2]}`)).toEqual(['inbox on', 'document card on', 'my documents on', 'new document on', 'inbox off', 'document card off', 'my documents off', 'new document off']);
  for (const [, , js, chromium, server, , scripts, kb] of rows) {
    expect(Number(chromium)).toBeGreaterThan(0);
    expect(Number(server)).toBeGreaterThan(0);
    // With JavaScript the page loads the client build's scripts; without it none are counted.
    if (js === 'on') expect(Number(scripts) > 0 && Number(kb) > 100).toBe(true);
    else expect([scripts, kb]).toEqual(['-', '-']);
  }
});
