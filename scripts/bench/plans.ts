// Row 5's plans: EXPLAIN ANALYZE of the inbox SQL bare (a role RLS does not bind, no
// transaction) and as the runtime role inside withTenant's transaction, and whether each uses an
// index condition on tenant_id.
import type { Sql } from 'postgres';
import type { CapturedSql } from './sql';

export interface PlanFigure {
  /** An Index Cond (or a bitmap Recheck Cond) of the plan names tenant_id. */
  tenantIndexCond: boolean;
  /** "Index Scan using … on …" lines with their conditions, for the reader. */
  indexes: string[];
  executionMs: number;
  planningMs: number;
  text: string;
}

function summarise(lines: string[]): PlanFigure {
  const text = lines.join('\n');
  const indexes: string[] = [];
  lines.forEach((line, i) => {
    const scan = /(Index Only Scan|Index Scan|Bitmap Index Scan)( Backward)? (using|on) (\S+)( on (\S+))?/.exec(line);
    if (!scan) return;
    const cond = lines.slice(i + 1, i + 4).find((l) => /Index Cond:/.test(l));
    indexes.push(`${scan[4]}${scan[6] ? ` on ${scan[6]}` : ''}${cond ? `: ${cond.trim().replace(/^Index Cond: /, '')}` : ''}`);
  });
  return {
    tenantIndexCond: lines.some((l) => /(Index Cond|Recheck Cond):.*tenant_id/.test(l)),
    indexes,
    executionMs: Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? 0),
    planningMs: Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0),
    text,
  };
}

const explain = (q: CapturedSql) => `explain (analyze, buffers) ${q.text}`;

export async function explainBare(owner: Sql, q: CapturedSql): Promise<PlanFigure> {
  // Twice: the second run is the one with warm caches, as under load.
  await owner.unsafe(explain(q), q.params as never[]);
  const rows = await owner.unsafe<{ 'QUERY PLAN': string }[]>(explain(q), q.params as never[]);
  return summarise(rows.map((r) => r['QUERY PLAN']));
}

export async function explainRls(app: Sql, q: CapturedSql, scope: { tenantId: string; userId: string }): Promise<PlanFigure> {
  const run = () =>
    app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId}, true)`;
      return tx.unsafe<{ 'QUERY PLAN': string }[]>(explain(q), q.params as never[]);
    });
  await run();
  const rows = await run();
  return summarise(rows.map((r) => r['QUERY PLAN']));
}
