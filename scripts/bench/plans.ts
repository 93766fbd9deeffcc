// Row 5's plans: EXPLAIN ANALYZE of the inbox SQL bare (a role RLS does not bind, no
// transaction) and as the runtime role inside withTenant's transaction, and whether each uses an
// index condition on tenant_id.
import type { Sql } from 'postgres';
import type { CapturedSql } from './sql';

export interface PlanFigure {
  /**
   * The inbox's driving table, document_steps, is reached through an index condition on
   * tenant_id (not a filter over every tenant's rows).
   */
  tenantIndexCond: boolean;
  /** Per table scanned: whether its scan's Index Cond (or bitmap Recheck Cond) names tenant_id. */
  tables: Record<string, boolean>;
  /** How document_steps is read, e.g. "Index Scan using document_steps_due_idx (Filter: …)". */
  stepsScan: string;
  /** "Index Scan using … on …" lines with their conditions, for the reader. */
  indexes: string[];
  executionMs: number;
  planningMs: number;
  text: string;
}

const indent = (line: string) => line.length - line.trimStart().length;

export function summarise(lines: string[]): PlanFigure {
  const text = lines.join('\n');
  const indexes: string[] = [];
  const tables: Record<string, boolean> = {};
  lines.forEach((line, i) => {
    const scan = /(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan)( Backward)? (?:using (\S+) )?on (\S+)/.exec(line);
    if (!scan) return;
    // The node's own detail lines: deeper than the node, up to its first child node.
    const details: string[] = [];
    for (const l of lines.slice(i + 1)) {
      if (indent(l) <= indent(line) || /->/.test(l)) break;
      details.push(l.trim());
    }
    const cond = details.find((l) => /^(Index Cond|Recheck Cond):/.test(l));
    const table = scan[4];
    tables[table] = (tables[table] ?? true) && !!cond && /tenant_id/.test(cond);
    indexes.push(`${scan[1]}${scan[3] ? ` using ${scan[3]}` : ''} on ${table}${cond ? ` — ${cond}` : details.find((l) => l.startsWith('Filter:')) ? ` — ${details.find((l) => l.startsWith('Filter:'))}` : ''}`);
  });
  return {
    stepsScan: indexes.find((l) => l.includes(' on document_steps')) ?? '',
    tenantIndexCond: tables.document_steps === true,
    tables,
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
