// The framework floor of `npm run bench` (route bench.floor): the exact SQL text and parameters
// the inbox loader issued (captured by the bench, passed in BENCH_INBOX_SQL), run through
// postgres.js as drizzle runs it, on a connection row level security does not bind and outside
// any transaction. Its rows go to the page as they come: no session, tenancy or i18n. Only
// reachable with BENCH_ROUTES=1, BENCH_DATABASE_URL (superuser or BYPASSRLS) and the SQL set.
import postgres, { type Sql } from 'postgres';
import { postgresTarget } from '#db/client';

const shared = globalThis as typeof globalThis & { __delovodBenchFloor?: Sql };

export function benchRoutesEnabled(): boolean {
  return process.env.BENCH_ROUTES === '1' && !!process.env.BENCH_DATABASE_URL && !!process.env.BENCH_INBOX_SQL;
}

export type FloorCell = string | number | boolean | null;

export async function benchFloorRows(): Promise<FloorCell[][]> {
  const { text, params } = JSON.parse(process.env.BENCH_INBOX_SQL!) as { text: string; params: never[] };
  const target = postgresTarget(process.env.BENCH_DATABASE_URL!);
  shared.__delovodBenchFloor ??= postgres(target.url, {
    ...(target.path ? { path: target.path } : {}),
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
    connection: { application_name: 'delovod-bench-floor' },
  });
  // Unprepared, as drizzle sends the app's queries; rows as arrays (the inbox selects two "id"s).
  const rows = await shared.__delovodBenchFloor.unsafe(text, params).values();
  return rows.map((row) => (row as unknown[]).map((v) => (v instanceof Date ? v.toISOString() : (v as FloorCell))));
}
