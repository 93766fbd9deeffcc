import { sql } from 'drizzle-orm';
import { db, databaseKind } from '../db.server';

/** The database must answer within this, or the web process is not ready. */
const DEADLINE_MS = 800;

/**
 * Web readiness: PostgreSQL answers within the deadline. Redis is not a web dependency (requests
 * write the outbox, never Redis): a Redis outage must not take a healthy web tier out of a load
 * balancer. The worker has its own health (npm run worker, WORKER_HEALTH_PORT).
 */
export async function loader() {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), DEADLINE_MS);
  });
  let database: string;
  try {
    await Promise.race([db().execute(sql`select 1`), deadline]);
    database = `ok (${databaseKind()})`;
  } catch {
    database = 'unavailable';
  } finally {
    clearTimeout(timer);
  }
  const ready = database !== 'unavailable';
  return Response.json({ ready, checks: { database } }, { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
