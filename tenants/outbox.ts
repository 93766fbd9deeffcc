// Emails are requested by writing outbox rows in the transaction of the change that causes
// them; the jobs relay sends them. Payloads carry ids only (DESIGN §6).
import type { Tx } from '#db/client';
import { outbox } from '#db/schema';

export type OnboardingEmail =
  | { job: 'email.invitation'; payload: { tenantId: string; invitationId: string } }
  | { job: 'email.signupResume'; payload: { tenantId: string; signupId: string } }
  | { job: 'email.signupSubmitted'; payload: { tenantId: string; signupId: string } }
  | { job: 'email.signupDecision'; payload: { tenantId: string; signupId: string } };

export async function requestEmails(tx: Tx, emails: OnboardingEmail[]): Promise<void> {
  if (!emails.length) return;
  for (let i = 0; i < emails.length; i += 1000) {
    await tx.insert(outbox).values(emails.slice(i, i + 1000).map((e) => ({ tenantId: e.payload.tenantId, job: e.job, payload: e.payload })));
  }
}
