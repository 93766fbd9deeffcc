// One email per outbox row (docs/decisions, "jobs and email"). The delivery is recorded as
// 'sending' before the SMTP conversation and 'sent' after it, each in its own short tenant
// transaction (no transaction stays open across the network). A retry that finds 'sent' or
// 'skipped' does nothing; one that finds 'sending' knows the previous attempt died between the
// two records and sends again with the same Message-ID: a crash in that window can repeat an
// email (which mail clients recognise by its Message-ID) but never lose one.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { emailDeliveries } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import type { JobContext, JobRun } from '../job';
import type { OutgoingEmail } from './transport';

export type Composed = Omit<OutgoingEmail, 'messageId'> | null;

export async function deliverOnce(
  ctx: JobContext,
  tenantId: string,
  run: JobRun,
  compose: (tx: Tx) => Promise<Composed>,
): Promise<'sent' | 'already' | 'skipped'> {
  const messageId = `<${run.outboxId}@delovod>`;
  const prepared = await withTenantOn(ctx.db, { tenantId }, async (tx) => {
    const [previous] = await tx
      .select()
      .from(emailDeliveries)
      .where(and(eq(emailDeliveries.tenantId, tenantId), eq(emailDeliveries.outboxId, run.outboxId)))
      .for('update');
    if (previous && previous.status !== 'sending') return null;
    const email = await compose(tx);
    if (!email) {
      await tx.insert(emailDeliveries).values({ tenantId, outboxId: run.outboxId, status: 'skipped', messageId }).onConflictDoNothing();
      return 'skipped' as const;
    }
    if (previous) {
      ctx.log.warn({ outboxId: run.outboxId, attempts: previous.attempts }, 'resending an email whose previous attempt was interrupted');
      await tx
        .update(emailDeliveries)
        .set({ attempts: sql`${emailDeliveries.attempts} + 1`, startedAt: new Date() })
        .where(and(eq(emailDeliveries.tenantId, tenantId), eq(emailDeliveries.outboxId, run.outboxId)));
    } else {
      await tx.insert(emailDeliveries).values({ tenantId, outboxId: run.outboxId, status: 'sending', recipient: email.to, messageId });
    }
    return email;
  });
  if (prepared === null) return 'already';
  if (prepared === 'skipped') return 'skipped';
  await ctx.mailer.send({ ...prepared, messageId });
  await withTenantOn(ctx.db, { tenantId }, (tx) =>
    tx
      .update(emailDeliveries)
      .set({ status: 'sent', sentAt: new Date() })
      .where(and(eq(emailDeliveries.tenantId, tenantId), eq(emailDeliveries.outboxId, run.outboxId))),
  );
  return 'sent';
}
