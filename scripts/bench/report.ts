// The bench's one table, and the JSON that carries the same figures.
import type { ActionsResult } from './actions';
import type { JobsFigure, ReportFigure, SweepFigure } from './jobs';
import type { LoadResult } from './load';
import type { PlanFigure } from './plans';

export type Page = LoadResult & { ratioToCeiling: number | null; ratioToFloor: number | null };

export interface SizeFigure {
  target: number;
  tenant: string;
  documents: number;
  /** Share of the large tenant's documents. */
  share: number;
  approverPending: number;
  inbox: LoadResult;
}

export interface RoundFigure {
  round: number;
  rssMb: number;
  reqPerSec: { inbox: number; card: number; registry: number };
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  machine: { cores: number; cpu: string; memoryGb: number; node: string; postgres: string; postgresSettings: string; platform: string; loadBefore: number[]; loadAfter?: number[] };
  database: { url: string; appUrl: string; role: string; analyzed: string[]; vacuumed: string[]; tenants: number; documents: number; steps: number; memberships: number; pendingSteps: number };
  subject: {
    tenant: string;
    documents: number;
    staff: number;
    approver: string;
    approverPending: number;
    inboxRows: number;
    clerk: string;
    authors: number;
    cardDocuments: number;
  };
  options: { duration: number; warmup: number; quick: boolean; only: number[]; pool: number; webProcesses: number; logLevel: string; nodeOptions: string[]; workerNodeOptions: string[]; jobs: number; jobProcesses: number };
  rows: {
    '1'?: { ceiling: LoadResult };
    '2'?: { floor: LoadResult };
    '3'?: { inbox: Page; inbox4: LoadResult; card: Page; registry: Page };
    '4'?: ActionsResult;
    '5'?: {
      bare: LoadResult;
      ownerTx: LoadResult;
      rls: LoadResult;
      /** Throughput lost to the transaction (bare / owner-tx − 1) and to RLS (owner-tx / rls − 1). */
      txCost: number;
      rlsCost: number;
      plans: { bare: PlanFigure; rls: PlanFigure };
    };
    '6'?: { report: ReportFigure; sweep: SweepFigure; jobs: JobsFigure };
    '7'?: { idleRssMb: number; rounds: RoundFigure[]; growthMb: number };
    '8'?: { method: string; sizes: SizeFigure[]; p95FullOverTenth: number };
    /** Malformed posts refused by the input boundary (issue 23), each class on its own run. */
    '9'?: { unsupported: LoadResult; malformedId: LoadResult; tooLarge: LoadResult; unsupportedScript?: LoadResult; tooLargeScript?: LoadResult };
  };
  targets: Array<{ row: number; what: string; target: string; value: string; met: boolean }>;
  table?: string;
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n1 = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
const n2 = (n: number) => n.toFixed(2);
const pct = (f: number) => `${f >= 0 ? '+' : ''}${Math.round(f * 1000) / 10}%`;
const x = (f: number | null) => (f === null ? '–' : `${(Math.round(f * 100) / 100).toFixed(2)}×`);

/** Checks the issue's targets against what was measured. */
export function assess(r: BenchResults): BenchResults['targets'] {
  const t: BenchResults['targets'] = [];
  const add = (row: number, what: string, target: string, value: string, met: boolean) => t.push({ row, what, target, value, met });
  const three = r.rows['3'];
  if (three) {
    if (three.inbox.ratioToFloor !== null) add(3, 'inbox req/s vs framework floor', '≥ 0.90×', x(three.inbox.ratioToFloor), three.inbox.ratioToFloor >= 0.9);
    add(3, 'inbox p95 at 32 connections', '≤ 60 ms', `${n1(three.inbox.p95)} ms`, three.inbox.p95 <= 60);
    add(3, 'inbox p95 at 4 connections', '≤ 15 ms', `${n1(three.inbox4.p95)} ms`, three.inbox4.p95 <= 15);
  }
  const four = r.rows['4'];
  if (four) add(4, 'approve p95 at 8 connections', '≤ 80 ms', `${n1(four.approve.p95)} ms`, four.approve.p95 <= 80);
  const five = r.rows['5'];
  if (five) {
    add(5, 'tenant transaction over bare query', '≤ +15%', pct(five.txCost), five.txCost <= 0.15);
    add(5, 'RLS over the same transaction', '≤ +3%', pct(five.rlsCost), five.rlsCost <= 0.03);
    add(5, 'index condition on tenant_id under RLS', 'document_steps by tenant_id', five.plans.rls.tenantIndexCond ? 'yes' : 'no', five.plans.rls.tenantIndexCond);
  }
  const six = r.rows['6'];
  if (six) {
    add(6, `monthly report (${n0(six.report.staff)} staff)`, '≤ 5 s (2,000 staff)', `${n0(six.report.ms)} ms`, six.report.ms <= 5000);
    add(6, 'reminder sweep query', '≤ 100 ms', `${n1(six.sweep.ms)} ms`, six.sweep.ms <= 100);
    add(6, 'outbox → completion', '≥ 2,000 jobs/s', `${n0(six.jobs.jobsPerSec)} jobs/s`, six.jobs.jobsPerSec >= 2000);
  }
  const seven = r.rows['7'];
  if (seven) add(7, 'RSS growth round 1 → 3', 'none (≤ 5%)', `${seven.growthMb >= 0 ? '+' : ''}${n1(seven.growthMb)} MB`, seven.growthMb <= 0.05 * seven.rounds[0].rssMb);
  const eight = r.rows['8'];
  if (eight) add(8, 'inbox p95 at 100% vs 10% size', '≤ 1.25×', x(eight.p95FullOverTenth), eight.p95FullOverTenth <= 1.25);
  const nine = r.rows['9'];
  if (nine) {
    const worst = Math.max(nine.unsupported.p99, nine.malformedId.p99, nine.tooLarge.p99, nine.unsupportedScript?.p99 ?? 0, nine.tooLargeScript?.p99 ?? 0);
    add(9, 'refusal p99 at 8 connections', '≤ 100 ms', `${n1(worst)} ms`, worst <= 100);
  }
  return t;
}

type Line = [string, string, string, string, string, string, string, string];

function loadLine(row: string, what: string, l: LoadResult, notes = ''): Line {
  const errors = l.errors ? `${n0(l.errors)} errors; ` : '';
  const slow = l.mode === 'requests' ? `${2 * l.connections} requests in ${n1(l.seconds)} s (too slow for a timed run); ` : '';
  const closed = l.closedConnections ? `${n0(l.closedConnections)} answers closed their connection: autocannon's latencies are not a client's (see load.ts); ` : '';
  const drain = (l.drainSeconds ?? 0) >= 2 ? `; abandoned requests kept the server busy ${n1(l.drainSeconds!)} s after the run` : '';
  return [row, what, String(l.connections), n0(l.reqPerSec), n1(l.p50), n1(l.p95), n1(l.p99), slow + errors + closed + notes + drain];
}

const other = (row: string, what: string, value: string, notes = ''): Line => [row, what, '', value, '', '', '', notes];

export function table(r: BenchResults): string {
  const lines: Line[] = [];
  const { rows } = r;
  const mark = (row: number, what: string) => {
    const hit = r.targets.find((t) => t.row === row && t.what === what);
    return hit ? ` [${hit.met ? 'ok' : 'MISS'} ${hit.target}]` : '';
  };
  if (rows['1']) lines.push(loadLine('1', 'bare ceiling: node:http + postgres.js, inbox SQL → JSON', rows['1'].ceiling, `${r.subject.inboxRows} rows`));
  if (rows['2']) lines.push(loadLine('2', 'framework floor: Remix route, same SQL and rows', rows['2'].floor, rows['1'] ? `${x(rows['2'].floor.reqPerSec / rows['1'].ceiling.reqPerSec)} ceiling` : ''));
  if (rows['3']) {
    const p = rows['3'];
    const ratios = (page: Page) => `${x(page.ratioToCeiling)} ceiling, ${x(page.ratioToFloor)} floor`;
    lines.push(loadLine('3', 'inbox page (signed in, server-rendered)', p.inbox, ratios(p.inbox) + mark(3, 'inbox req/s vs framework floor') + mark(3, 'inbox p95 at 32 connections')));
    lines.push(loadLine('3', 'inbox page', p.inbox4, mark(3, 'inbox p95 at 4 connections').trim()));
    lines.push(loadLine('3', 'document card', p.card, ratios(p.card)));
    lines.push(loadLine('3', 'registry log (first page)', p.registry, ratios(p.registry)));
  }
  if (rows['9']) {
    const r9 = rows['9'];
    lines.push(loadLine('9', 'refused: not a form (415), card page', r9.unsupported, mark(9, 'refusal p99 at 8 connections').trim()));
    lines.push(loadLine('9', 'refused: malformed id in the URL (404)', r9.malformedId));
    lines.push(loadLine('9', 'refused: over the limit (413), card page', r9.tooLarge));
    if (r9.unsupportedScript) lines.push(loadLine('9', 'refused: not a form (415), script', r9.unsupportedScript));
    if (r9.tooLargeScript) lines.push(loadLine('9', 'refused: over the limit (413), script', r9.tooLargeScript));
  }
  if (rows['4']) {
    const a = rows['4'];
    lines.push(loadLine('4', 'approve (POST, real transition)', a.approve, `${n0(a.approve.transitions)} approved` + mark(4, 'approve p95 at 8 connections')));
    lines.push(loadLine('4', 'submit (POST, real transition)', a.submit, `${n0(a.submit.transitions)} submitted`));
  }
  if (rows['5']) {
    const f = rows['5'];
    const how = (p: PlanFigure) => `document_steps by ${/using (\S+)/.exec(p.stepsScan)?.[1] ?? p.stepsScan.split(' on ')[0]}, tenant_id ${p.tenantIndexCond ? 'in' : 'NOT in'} its index cond, ${n1(p.executionMs)} ms in PG`;
    lines.push(loadLine('5', 'inbox SQL bare (no RLS role, no transaction)', f.bare, how(f.plans.bare)));
    lines.push(loadLine('5', '… in a tenant transaction (same role)', f.ownerTx, `${pct(f.txCost)} over bare` + mark(5, 'tenant transaction over bare query')));
    lines.push(
      loadLine(
        '5',
        '… withTenant as the runtime role (RLS)',
        f.rls,
        `${pct(f.rlsCost)} over the transaction${mark(5, 'RLS over the same transaction')}; ${how(f.plans.rls)}${mark(5, 'index condition on tenant_id under RLS')}`,
      ),
    );
  }
  if (rows['6']) {
    const j = rows['6'];
    lines.push(other('6', `monthly overtime report, ${r.subject.tenant} (${n0(j.report.staff)} staff)`, `${n0(j.report.ms)} ms`, `${j.report.period}, ${n0(j.report.slips)} pay slips${mark(6, `monthly report (${n0(j.report.staff)} staff)`)}`));
    lines.push(other('6', "reminder sweep's due-step query", `${n1(j.sweep.ms)} ms`, `${n0(j.sweep.dueSteps)} due steps (limit 5000), median of 5${mark(6, 'reminder sweep query')}`));
    lines.push(other('6', 'outbox → job completion (email jobs)', `${n0(j.jobs.jobsPerSec)} jobs/s`, `${n0(j.jobs.jobs)} jobs in ${n1(j.jobs.seconds)} s, ${j.jobs.processes} worker process${j.jobs.processes > 1 ? 'es' : ''}${j.jobs.workerCpuMsPerJob === null ? '' : ` (${n2(j.jobs.workerCpuMsPerJob)} ms CPU a job)`}${j.jobs.backlog ? `, ${n0(j.jobs.backlog)} backlog drained first` : ''}${mark(6, 'outbox → completion')}`));
    // Older result files lack the machine's breakdown.
    const machine = j.jobs.machineCpuMsPerJob ?? [];
    if (machine.length) {
      const total = machine.reduce((sum, [, ms]) => sum + ms, 0);
      lines.push(other('6', 'the machine\'s CPU a job over that run', `${n2(total)} ms`, machine.map(([name, ms]) => `${name} ${n2(ms)}`).join(', ')));
    }
  }
  if (rows['7']) {
    const m = rows['7'];
    lines.push(other('7', 'web server RSS after rounds 1 / 2 / 3', m.rounds.map((q) => n0(q.rssMb)).join(' / ') + ' MB', `idle ${n0(m.idleRssMb)} MB${mark(7, 'RSS growth round 1 → 3')}`));
  }
  if (rows['8']) {
    for (const s of rows['8'].sizes) {
      lines.push(
        loadLine('8', `inbox at ${Math.round(s.target * 100)}% size: ${s.tenant}`, s.inbox, `${n0(s.documents)} docs (${Math.round(s.share * 100)}%), ${n0(s.approverPending)} pending${s.target === 1 ? mark(8, 'inbox p95 at 100% vs 10% size') : ''}`),
      );
    }
  }
  const header: Line = ['#', 'measure', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const right = new Set([2, 3, 4, 5, 6]);
  const fmt = (l: Line) => l.map((c, i) => (i === l.length - 1 ? c : right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const m = r.machine;
  const d = r.database;
  const s = r.subject;
  const title = [
    `Delovod bench ${r.startedAt} — ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres} (${m.postgresSettings}); autocannon shares the cores; load average ${m.loadBefore.map(n1).join(' ')} before, ${(m.loadAfter ?? []).map(n1).join(' ')} after`,
    `Database ${d.url}: ${n0(d.tenants)} tenants, ${n0(d.documents)} documents, ${n0(d.steps)} steps, ${n0(d.memberships)} memberships`,
    `Large tenant ${s.tenant}: ${n0(s.documents)} documents, ${n0(s.staff)} staff; approver ${s.approver} (${n0(s.approverPending)} pending, inbox shows ${s.inboxRows}); registry clerk ${s.clerk}`,
    `${r.options.quick ? '--quick: 8 requests on at most 8 connections per run, no warm-up (a smoke test: the figures mean nothing)' : `${r.options.duration} s per run after ${r.options.warmup} s warm-up`}; web server: NODE_ENV=production, ${r.options.webProcesses} process${r.options.webProcesses > 1 ? 'es (WEB_CONCURRENCY)' : ''}, pool ${r.options.pool} each, LOG_LEVEL=${r.options.logLevel}, node ${r.options.nodeOptions.join(' ')} (as npm start)${d.analyzed.length ? `; ANALYZEd first (never analyzed): ${d.analyzed.join(', ')}` : ''}${d.vacuumed.length ? `; VACUUMed first (autovacuum off, due by its rule): ${d.vacuumed.join(', ')}` : ''}`,
  ];
  const missed = r.targets.filter((t) => !t.met);
  const footer = r.targets.length ? [`Targets met: ${r.targets.length - missed.length} of ${r.targets.length}${missed.length ? ` — missed: ${missed.map((t) => `${t.what} ${t.value} (${t.target})`).join('; ')}` : ''}`] : [];
  const rule = '-'.repeat(Math.min(160, widths.reduce((a, b) => a + b + 2, 0)));
  return [...title, rule, fmt(header), rule, ...lines.map(fmt), rule, ...footer].join('\n');
}
