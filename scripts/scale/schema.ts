// Loading fast the way pg_restore does: the bulk tables' keys, indexes and foreign keys are
// dropped before the COPY and rebuilt from their exact catalog definitions afterwards (which
// also checks every key, the registry numbers' unique index and every reference). An owner
// that is not a superuser is bound by forced row level security, under which COPY FROM is
// refused and a foreign key's validation sees no rows; for the load only, FORCE is lifted on
// these tables and the ones they reference, and then put back.
import type { Sql } from 'postgres';
import { bulkTableNames } from './tables';

export interface SavedSchema {
  /** ALTER TABLE … ADD CONSTRAINT for keys and unique constraints, then plain indexes. */
  keys: Statement[];
  foreignKeys: Statement[];
  /** Tables whose FORCE ROW LEVEL SECURITY was lifted. */
  unforced: string[];
}

interface Statement {
  table: string;
  sql: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function ownerBypassesRls(sql: Sql): Promise<boolean> {
  const [me] = await sql`select rolsuper or rolbypassrls as bypass from pg_roles where rolname = current_user`;
  return me.bypass;
}

export async function prepareForLoad(sql: Sql): Promise<SavedSchema> {
  const tables = bulkTableNames;
  const constraints = await sql<{ name: string; table: string; type: string; def: string; references: string | null }[]>`
    select c.conname as name, c.conrelid::regclass::text as table, c.contype as type, pg_get_constraintdef(c.oid) as def,
      case when c.contype = 'f' then c.confrelid::regclass::text end as references
    from pg_constraint c
    where c.contype in ('p', 'u', 'f')
      and (c.conrelid::regclass::text = any(${tables}) or (c.contype = 'f' and c.confrelid::regclass::text = any(${tables})))
    order by c.conrelid::regclass::text, c.conname`;
  const indexes = await sql<{ name: string; table: string; def: string }[]>`
    select i.indexrelid::regclass::text as name, i.indrelid::regclass::text as table, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid::regclass::text = any(${tables})
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
    order by 2, 1`;
  const saved: SavedSchema = {
    keys: [
      ...constraints.filter((c) => c.type !== 'f').map((c) => ({ table: c.table, sql: `alter table ${ident(c.table)} add constraint ${ident(c.name)} ${c.def}` })),
      ...indexes.map((i) => ({ table: i.table, sql: i.def })),
    ],
    foreignKeys: constraints.filter((c) => c.type === 'f').map((c) => ({ table: c.table, sql: `alter table ${ident(c.table)} add constraint ${ident(c.name)} ${c.def}` })),
    unforced: [],
  };
  for (const c of constraints.filter((c) => c.type === 'f')) await sql.unsafe(`alter table ${ident(c.table)} drop constraint ${ident(c.name)}`);
  for (const c of constraints.filter((c) => c.type !== 'f')) await sql.unsafe(`alter table ${ident(c.table)} drop constraint ${ident(c.name)}`);
  for (const i of indexes) await sql.unsafe(`drop index ${i.name}`);
  if (!(await ownerBypassesRls(sql))) {
    // The loaded tables, and those their foreign keys reference (validating a key reads them whole).
    const touched = [...new Set([...tables, ...constraints.flatMap((c) => (c.references ? [c.references, c.table] : []))])];
    const forced = await sql<{ table: string }[]>`
      select relname as table from pg_class where relname = any(${touched}) and relkind = 'r' and relforcerowsecurity`;
    for (const f of forced) await sql.unsafe(`alter table ${ident(f.table)} no force row level security`);
    saved.unforced = forced.map((f) => f.table);
  }
  return saved;
}

/** Rebuilds what prepareForLoad dropped, on `connections` sessions at once, and forces RLS again. */
export async function restoreAfterLoad(sessions: Sql[], saved: SavedSchema, log: (line: string) => void): Promise<void> {
  for (const s of sessions) await s`set maintenance_work_mem = '1GB'`;
  const runAll = async (statements: Statement[]) => {
    const queue = [...statements];
    await Promise.all(
      sessions.map(async (s) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const started = Date.now();
          await s.unsafe(next.sql);
          log(`  ${next.sql.replace(/\s+/g, ' ').slice(0, 110)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        }
      }),
    );
  };
  // Largest tables first, so the two sessions finish together.
  const weight: Record<string, number> = { notifications: 6, audit_events: 5, document_steps: 4, documents: 3, document_revisions: 2, document_attachments: 1 };
  await runAll([...saved.keys].sort((a, b) => (weight[b.table] ?? 0) - (weight[a.table] ?? 0)));
  // Added unchecked, then validated side by side (validation locks lightly enough to run in parallel).
  for (const fk of saved.foreignKeys) await sessions[0].unsafe(`${fk.sql} not valid`);
  await runAll(saved.foreignKeys.map((fk) => ({ table: fk.table, sql: `alter table ${ident(fk.table)} validate constraint ${fk.sql.match(/add constraint ("(?:[^"]|"")+")/)![1]}` })));
  for (const t of saved.unforced) await sessions[0].unsafe(`alter table ${ident(t)} force row level security`);
}
