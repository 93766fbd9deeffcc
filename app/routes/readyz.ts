import { sql } from 'drizzle-orm';
import { db, databaseKind } from '../db.server';
import { env } from '../env.server';

/** Readiness: the database answers (and Redis, where one is configured). */
export async function loader() {
  const checks: Record<string, string> = {};
  let ready = true;
  try {
    await db().execute(sql`select 1`);
    checks.database = `ok (${databaseKind()})`;
  } catch {
    checks.database = 'unavailable';
    ready = false;
  }
  const redisUrl = env().REDIS_URL;
  if (redisUrl) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000 });
    try {
      await redis.connect();
      await redis.ping();
      checks.redis = 'ok';
    } catch {
      checks.redis = 'unavailable';
      ready = false;
    } finally {
      redis.disconnect();
    }
  }
  return Response.json({ ready, checks }, { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
