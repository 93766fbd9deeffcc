// Every job and schedule, by name. Requesting a job is writing its outbox row in the caller's
// transaction (requestJob here for jobs' own follow-ups; app and tenants code writes the same
// rows itself, so nothing outside jobs/ imports this to enqueue).
import type { z } from 'zod';
import type { Tx } from '#db/client';
import { outbox } from '#db/schema';
import { invitationEmail, notificationEmail, passwordResetEmail, signupDecisionEmail, signupResumeEmail, signupSubmittedEmail } from './definitions/email';
import { reminderSweep } from './definitions/reminders';
import { buildReport, monthlyReports } from './definitions/reports';
import { sealDocument } from './definitions/seal';
import { mandatoryUpgrades } from './definitions/upgrades';
import { deliverWebhook } from './webhooks/deliver';
import type { JobDefinition, ScheduleDefinition } from './job';

const definitions = [notificationEmail, invitationEmail, signupResumeEmail, signupSubmittedEmail, signupDecisionEmail, passwordResetEmail, buildReport, sealDocument, deliverWebhook] as const;

type Definitions = (typeof definitions)[number];
export type JobName = Definitions['name'];
export type PayloadOf<N extends JobName> = z.infer<Extract<Definitions, { name: N }>['schema']>;

export const jobs: ReadonlyMap<string, JobDefinition> = new Map(definitions.map((d) => [d.name, d as unknown as JobDefinition]));

export const schedules: readonly ScheduleDefinition[] = [reminderSweep, monthlyReports, mandatoryUpgrades];

export async function requestJob<N extends JobName>(tx: Tx, name: N, payload: PayloadOf<N>, availableAt?: Date): Promise<void> {
  await tx.insert(outbox).values({ tenantId: payload.tenantId, job: name, payload, ...(availableAt ? { availableAt } : {}) });
}
