// The inbox's SQL (captured by the bench, in BENCH_INBOX_SQL) run through postgres.js on a
// connection row level security does not bind, outside any transaction.
import postgres from 'postgres';

export type Cell = string | number | boolean | null;

const sql = postgres(process.env.BENCH_DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
const inbox = JSON.parse(process.env.BENCH_INBOX_SQL!) as { text: string; params: never[] };

export async function inboxRows(): Promise<Cell[][]> {
  // Rows as arrays: the inbox selects two "id"s.
  const rows = await sql.unsafe(inbox.text, inbox.params).values();
  return rows.map((row) => (row as unknown[]).map((v) => (v instanceof Date ? v.toISOString() : (v as Cell))));
}
