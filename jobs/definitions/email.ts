// The emails the workflow promises: one per in-app notification, and onboarding's invitation
// and signup emails. Each composes in the recipient's language and is delivered once.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { documents, documentSteps, invitations, memberships, notifications, signupRequests, tenants, users } from '#db/schema';
import { env } from '#app/env.server';
import { formatInstant } from '#app/i18n/format';
import { definitionsOf } from '#app/workflow/engine/definitions.server';
import { stagesOf } from '#app/workflow/engine/line';
import type { TemplateVersion } from '#app/workflow/template/schema';
import type { Locale } from '#app/workflow/template/labels';
import { issueResetToken, RESET_MINUTES } from '#app/auth/account.server';
import { INVITATION_DAYS, issueInvitationToken } from '#tenants/invitations';
import { issueSignupResumeToken } from '#tenants/signup';
import { batchedDelivery, deliverOnce, type Composed } from '../email/deliver';
import { memberRecipient, memberRecipients, tenantNameIn } from '../email/recipients';
import { renderEmail } from '../email/render';
import type { EmailKind, EmailParams } from '../email/texts';
import { defineJob } from '../job';

const url = (path: string) => new URL(path, env().PUBLIC_URL).toString();

const when = (d: Date, locale: Locale) => formatInstant(d, locale === 'en' ? 'en-GB' : locale, 'short');

function stepLabel(def: TemplateVersion, key: string | null | undefined, locale: Locale): string {
  const step = stagesOf(def).flat().find((s) => s.id === key);
  return step ? step.label[locale] : '';
}

// A notification email's reads, built once (db/reusable.ts): a worker runs them for every batch
// of emails, and drizzle would write each one's text anew every time.
const tenantParam = sql.placeholder('tenantId');
const idsParam = sql.placeholder('ids');
const namesSelect = reusableSelect((db) =>
  db.select({ id: memberships.id, name: memberships.fullName }).from(memberships).where(and(eq(memberships.tenantId, tenantParam), anyOf(memberships.id, idsParam))),
);
const notificationsSelect = reusableSelect((db) => db.select().from(notifications).where(and(eq(notifications.tenantId, tenantParam), anyOf(notifications.id, idsParam))));
const tenantSelect = reusableSelect((db) => db.select().from(tenants).where(eq(tenants.id, tenantParam)));
const documentsSelect = reusableSelect((db) => db.select().from(documents).where(and(eq(documents.tenantId, tenantParam), anyOf(documents.id, idsParam))));
/** Who last acted on each step of these documents, and what they said. */
const lastActedSelect = reusableSelect((db) =>
  db
    .selectDistinctOn([documentSteps.documentId, documentSteps.stepKey], { documentId: documentSteps.documentId, stepKey: documentSteps.stepKey, actedById: documentSteps.actedById, comment: documentSteps.comment })
    .from(documentSteps)
    .where(and(eq(documentSteps.tenantId, tenantParam), anyOf(documentSteps.documentId, idsParam), isNotNull(documentSteps.actedAt)))
    .orderBy(documentSteps.documentId, documentSteps.stepKey, desc(documentSteps.actedAt)),
);
/** The latest due time of each step of these documents assigned to these members. */
const dueSelect = reusableSelect((db) =>
  db
    .selectDistinctOn([documentSteps.documentId, documentSteps.stepKey, documentSteps.assigneeId], { documentId: documentSteps.documentId, stepKey: documentSteps.stepKey, assigneeId: documentSteps.assigneeId, dueAt: documentSteps.dueAt })
    .from(documentSteps)
    .where(and(eq(documentSteps.tenantId, tenantParam), anyOf(documentSteps.documentId, idsParam), anyOf(documentSteps.assigneeId, sql.placeholder('assignees'))))
    .orderBy(documentSteps.documentId, documentSteps.stepKey, documentSteps.assigneeId, desc(documentSteps.activatedAt)),
);

/** Full names of the members named, by id, in one query. */
async function memberNames(tx: Tx, tenantId: string, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await namesSelect(tx, { tenantId, ids: wanted });
  return new Map(rows.map((r) => [r.id, r.name]));
}

const notificationKinds = new Set<string>([
  'step.assigned', 'document.returned', 'document.approved', 'document.rejected', 'document.registered',
  'step.actedOnYourBehalf', 'document.opinion', 'step.reminder', 'step.escalated', 'report.ready',
  'adoption.upgraded', 'adoption.upgradeBlocked',
]);

const pairKey = (...parts: (string | null)[]) => parts.join(' ');

/**
 * The emails of in-app notifications of one tenant, in order; null where there is nobody (left,
 * disabled) to write to. Whatever they name is read for all of them together: three round trips
 * whatever their number.
 */
export async function composeNotifications(tx: Tx, tenantId: string, payloads: readonly { notificationId: string }[]): Promise<Composed[]> {
  const rows = await notificationsSelect(tx, { tenantId, ids: payloads.map((p) => p.notificationId) });
  const found = new Map(rows.filter((n) => notificationKinds.has(n.kind)).map((n) => [n.id, n]));
  const list = [...found.values()];
  if (!list.length) return payloads.map(() => null);
  const documentIds = [...new Set(list.flatMap((n) => (n.documentId ? [n.documentId] : [])))];
  const [recipients, [tenant], docs, acted] = await Promise.all([
    memberRecipients(tx, tenantId, list.map((n) => n.recipientId)),
    tenantSelect(tx, { tenantId }),
    documentIds.length ? documentsSelect(tx, { tenantId, ids: documentIds }) : [],
    // Who last acted on each step the notifications name, and what they said.
    documentIds.length ? lastActedSelect(tx, { tenantId, ids: documentIds }) : [],
  ]);
  const docOf = new Map(docs.map((d) => [d.id, d]));
  const actedOn = new Map(acted.map((a) => [pairKey(a.documentId, a.stepKey), a]));
  const assigned = list.filter((n) => n.kind === 'step.assigned' && n.documentId);
  const [defs, names, dues] = await Promise.all([
    definitionsOf(tx, docs.map((d) => d.versionId)),
    memberNames(tx, tenantId, [
      ...docs.map((d) => d.authorId),
      ...acted.map((a) => a.actedById),
      ...list.map((n) => (n.data as Record<string, unknown>).assigneeId as string | undefined),
    ]),
    // A new step's due time, for the one it was assigned to.
    assigned.length ? dueSelect(tx, { tenantId, ids: [...new Set(assigned.map((n) => n.documentId!))], assignees: [...new Set(assigned.map((n) => n.recipientId))] }) : [],
  ]);
  const dueOf = new Map(dues.map((d) => [pairKey(d.documentId, d.stepKey, d.assigneeId), d.dueAt]));
  return payloads.map(({ notificationId }) => {
    const n = found.get(notificationId);
    const to = n && recipients.get(n.recipientId);
    if (!n || !to || to.disabled) return null;
    const locale = to.locale;
    const data = n.data as Record<string, string | number | null>;
    const stepKey = typeof data.step === 'string' ? data.step : null;
    const params: EmailParams = { ...data, tenant: tenantNameIn(tenant, locale) };
    let link = url(`/t/${tenant.slug}`);
    if (n.documentId) {
      const doc = docOf.get(n.documentId);
      if (!doc) return null;
      const def = defs.get(doc.versionId)!;
      const by = stepKey ? actedOn.get(pairKey(doc.id, stepKey)) : undefined;
      const assigneeId = typeof data.assigneeId === 'string' ? data.assigneeId : null;
      Object.assign(params, {
        title: def.title[locale],
        number: doc.registryNumber,
        step: stepLabel(def, stepKey, locale),
        author: names.get(doc.authorId) ?? '',
        actor: by?.actedById ? (names.get(by.actedById) ?? '') : '',
        comment: by?.comment ?? null,
        due: typeof data.dueAt === 'string' ? when(new Date(data.dueAt), locale) : null,
        assignee: assigneeId ? (names.get(assigneeId) ?? '') : null,
      });
      if (n.kind === 'step.assigned') {
        const due = dueOf.get(pairKey(doc.id, stepKey ?? '', n.recipientId));
        params.due = due ? when(due, locale) : null;
      }
      link = url(`/t/${tenant.slug}/documents/${doc.id}`);
    }
    if (n.kind === 'report.ready') link = url(`/t/${tenant.slug}/reports`);
    if (n.kind.startsWith('adoption.')) link = url(`/t/${tenant.slug}/admin/templates/${data.key}`);
    return { to: to.email, ...renderEmail(n.kind as EmailKind, locale, params, link) };
  });
}

const deliverNotification = batchedDelivery(composeNotifications);

export const notificationEmail = defineJob({
  name: 'email.notification',
  version: 1,
  handler: async ({ tenantId, notificationId }, ctx, run) => {
    await deliverNotification(ctx, tenantId, run, { notificationId });
  },
});

export const invitationEmail = defineJob({
  name: 'email.invitation',
  version: 1,
  handler: async ({ tenantId, invitationId }, ctx, run) => {
    await deliverOnce(ctx, tenantId, run, async (tx) => {
      const [row] = await tx
        .select({ membershipId: invitations.membershipId, acceptedAt: invitations.acceptedAt })
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)));
      if (!row || row.acceptedAt) return null;
      const to = await memberRecipient(tx, tenantId, row.membershipId);
      // A new link per attempt: the raw token exists only in the email (the row keeps hashes).
      const token = await issueInvitationToken(tx, tenantId, invitationId);
      if (!to || !token) return null;
      const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
      const mail = renderEmail('invitation', to.locale, { name: to.name, tenant: tenantNameIn(tenant, to.locale), days: INVITATION_DAYS }, url(`/invite/${token}`));
      return { to: to.email, ...mail };
    });
  },
});

/** Signup emails are the national office's (the signup has no tenant yet): scoped to it. */
function signupEmail(name: 'email.signupResume' | 'email.signupSubmitted' | 'email.signupDecision') {
  return defineJob({
    name,
    version: 1,
    handler: async ({ tenantId, signupId }, ctx, run) => {
      await deliverOnce(ctx, tenantId, run, async (tx) => {
        const [signup] = await tx.select().from(signupRequests).where(eq(signupRequests.id, signupId));
        if (!signup?.contactEmail) return null;
        const [national] = await tx.select({ locale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, tenantId));
        const locale: Locale = national?.locale ?? 'sr-Cyrl';
        const params = { name: signup.nameCyrl ?? '', reason: signup.rejectionReason, comment: signup.rejectionReason };
        if (name === 'email.signupResume') {
          if (signup.status !== 'draft') return null;
          const token = await issueSignupResumeToken(tx, signupId);
          return { to: signup.contactEmail, ...renderEmail('signupResume', locale, params, url(`/signup/resume/${token}`)) };
        }
        if (name === 'email.signupSubmitted') return { to: signup.contactEmail, ...renderEmail('signupSubmitted', locale, params) };
        if (signup.status === 'approved') {
          const [admin] = await tx.select({ locale: users.locale }).from(users).where(eq(users.email, signup.contactEmail));
          return { to: signup.contactEmail, ...renderEmail('signupApproved', admin?.locale ?? locale, params, url('/login')) };
        }
        if (signup.status === 'rejected') return { to: signup.contactEmail, ...renderEmail('signupRejected', locale, params) };
        return null;
      });
    },
  });
}

export const signupResumeEmail = signupEmail('email.signupResume');
export const signupSubmittedEmail = signupEmail('email.signupSubmitted');
export const signupDecisionEmail = signupEmail('email.signupDecision');

/** A password reset's email, as the national office's (account emails belong to no organisation). */
export const passwordResetEmail = defineJob({
  name: 'email.passwordReset',
  version: 1,
  handler: async ({ tenantId, resetId }, ctx, run) => {
    await deliverOnce(ctx, tenantId, run, async (tx) => {
      // A new link per attempt: the raw token exists only in the email. Nothing for an address
      // without an account, or a request already used or expired.
      const issued = await issueResetToken(tx, resetId);
      if (!issued) return null;
      const [user] = await tx.select({ email: users.email, locale: users.locale, disabledAt: users.disabledAt }).from(users).where(eq(users.id, issued.userId));
      if (!user || user.disabledAt) return null;
      const [national] = await tx.select({ locale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, tenantId));
      const locale: Locale = user.locale ?? national?.locale ?? 'sr-Cyrl';
      return { to: user.email, ...renderEmail('passwordReset', locale, { email: user.email, minutes: RESET_MINUTES }, url(`/login/reset/${issued.token}`)) };
    });
  },
});
