// The embedded runner for `npm run demo` without REDIS_URL: the same job definitions run inside
// the web process straight from the outbox, and the same schedules fire from timers. A failed
// job goes back to the outbox with a growing delay. For trying the product on one machine only.
import { and, eq, sql } from 'drizzle-orm';
import { outbox } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import type { JobContext } from './job';
import { schedules } from './registry';
import { claimOutbox } from './relay';
import { runJob, runSchedule } from './run';

const MAX_ATTEMPTS = 8;

/** Runs every due outbox row once; returns how many ran. */
export async function drainOutbox(ctx: JobContext, limit = 50): Promise<number> {
  let ran = 0;
  for (;;) {
    const rows = await ctx.db.transaction((tx) => claimOutbox(tx, limit));
    for (const row of rows) {
      try {
        await runJob(row.job, row.payload, ctx, { outboxId: row.id, attempt: row.attempts });
        await ctx.db.execute(sql`select complete_outbox(${sql.param([row.tenant_id])}::uuid[], ${sql.param([row.id])}::uuid[])`);
      } catch (error) {
        ctx.log.warn({ err: error, job: row.job, outboxId: row.id, attempt: row.attempts }, 'inline job failed');
        if (row.attempts < MAX_ATTEMPTS) {
          await withTenantOn(ctx.db, { tenantId: row.tenant_id }, (tx) =>
            tx
              .update(outbox)
              .set({ relayedAt: null, availableAt: sql`now() + make_interval(secs => ${2 ** row.attempts})` })
              .where(and(eq(outbox.tenantId, row.tenant_id), eq(outbox.id, row.id))),
          );
        }
      }
    }
    ran += rows.length;
    if (rows.length < limit) return ran;
  }
}

export function startInlineRunner(ctx: JobContext, tickMs = 1000): { stop(): Promise<void> } {
  let busy: Promise<unknown> = Promise.resolve();
  // One thing at a time: the embedded database has a single connection anyway.
  const serially = (what: string, fn: () => Promise<unknown>) => {
    busy = busy.then(fn).catch((error) => ctx.log.error({ err: error, what }, 'inline runner'));
  };
  const timers = [
    setInterval(() => serially('outbox', () => drainOutbox(ctx)), tickMs),
    ...schedules.map((s) => {
      serially(s.name, () => runSchedule(s.name, ctx));
      return setInterval(() => serially(s.name, () => runSchedule(s.name, ctx)), s.inlineEvery);
    }),
  ];
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await busy;
    },
  };
}
