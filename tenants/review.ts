// The national office's review of signups. Approval provisions the tenant in the same
// transaction that moves the signup from submitted to approved, so of two concurrent
// approvals one provisions and the other finds the signup decided.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit } from '#db/audit';
import { rowsOf } from '#db/rows';
import type { Database, Tx } from '#db/client';
import { signupRequests, tenants, users } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { checkAnswers, type CheckedAnswers } from '#app/onboarding/answers';
import { isValidMaticniBroj, isValidPib } from '#app/onboarding/identifiers';
import { bothScripts, englishName, suggestSlug } from '#app/onboarding/names';
import { toLatin } from '#app/i18n/transliterate';
import type { Actor } from './actor';
import { adoptStandardTemplates } from './adoption';
import { createInvitations } from './invitations';
import { enqueue } from '#jobs/kinds';
import { provisionTenantIn, type TenantSpec } from './provision';
import { isUniqueViolation, knownBody, nationalTenantId, requestNationalEmail, type KnownBody, type Signup } from './signup';

export type Reviewer = Actor;

export interface ReviewChecks {
  maticniBroj: boolean;
  pib: boolean;
  known: KnownBody | null;
  answers: ReturnType<typeof checkAnswers>;
  suggestedSlug: string;
  slugTaken: boolean;
  adminHasAccount: boolean;
}

export async function slugTaken(db: Database, slug: string): Promise<boolean> {
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  return !!row;
}

export async function reviewChecks(db: Database, signup: Signup, catalogKeys: string[]): Promise<ReviewChecks> {
  const answers = checkAnswers(signup.answers as object, catalogKeys, true);
  const nameLatn = answers.ok ? bothScripts(answers.value.body.nameCyrl ?? '', answers.value.body.nameLatn ?? '').nameLatn : '';
  const suggested = suggestSlug(nameLatn) || 'opstina';
  const adminEmail = answers.ok ? answers.value.admin.email : null;
  const [admin] = adminEmail ? await db.select({ id: users.id }).from(users).where(eq(users.email, adminEmail)) : [];
  return {
    maticniBroj: isValidMaticniBroj(signup.maticniBroj ?? ''),
    pib: isValidPib(signup.pib ?? ''),
    known: await knownBody(db, { maticniBroj: signup.maticniBroj ?? '', pib: signup.pib ?? '' }, signup.id),
    answers,
    suggestedSlug: suggested,
    slugTaken: await slugTaken(db, suggested),
    adminHasAccount: !!admin,
  };
}

export type ApproveResult =
  | { ok: true; tenantId: string; slug: string; adopted: string[]; needsPositions: string[] }
  | { ok: false; reason: 'notSubmitted' | 'slugTaken' | 'bodyKnown' | 'invalid' };

export function tenantSpecOf(answers: CheckedAnswers, slug: string, adminPasswordHash: string | null): TenantSpec {
  const { body, admin } = answers;
  const { nameCyrl, nameLatn } = bothScripts(body.nameCyrl ?? '', body.nameLatn ?? '');
  return {
    slug,
    kind: body.kind,
    nameCyrl,
    nameLatn,
    nameEn: body.nameEn || englishName(body.kind, nameLatn),
    maticniBroj: body.maticniBroj,
    pib: body.pib,
    units: answers.units.map((u) => ({ code: u.code, name: u.name, nameEn: u.nameEn || toLatin(u.name), parentCode: u.parentCode })),
    staff: [
      { email: admin.email, fullName: admin.fullName, position: admin.position, roles: ['tenant_admin', 'employee'], passwordHash: adminPasswordHash ?? undefined },
      ...answers.staff.map((s) => ({ email: s.email, fullName: s.fullName, position: s.position, unitCode: s.unitCode, roles: s.roles })),
    ],
  };
}

class Rollback extends Error {
  constructor(readonly reason: 'invalid') {
    super(reason);
  }
}

export async function approveSignup(
  db: Database,
  input: { signupId: string; slug: string; reviewer: Reviewer; catalogKeys: string[] },
): Promise<ApproveResult> {
  if (await slugTaken(db, input.slug)) return { ok: false, reason: 'slugTaken' };
  const nationalId = await nationalTenantId(db);
  const tenantId = randomUUID();
  try {
    return await withTenantOn(db, { tenantId, userId: input.reviewer.userId }, async (tx): Promise<ApproveResult> => {
      const [signup] = await tx
        .update(signupRequests)
        .set({ status: 'approved', decidedAt: new Date(), decidedBy: input.reviewer.userId, updatedAt: new Date() })
        .where(and(eq(signupRequests.id, input.signupId), eq(signupRequests.status, 'submitted')))
        .returning();
      if (!signup) return { ok: false, reason: 'notSubmitted' };
      const checked = checkAnswers(signup.answers as object, input.catalogKeys, true);
      if (!checked.ok) throw new Rollback('invalid');
      const spec = tenantSpecOf(checked.value, input.slug, signup.adminPasswordHash);
      const provisioned = await provisionTenantIn(tx, tenantId, spec, input.reviewer.userId);
      // The password hash has done its work; no copy stays on the signup.
      await tx.update(signupRequests).set({ adminPasswordHash: null, provisionedTenantId: tenantId }).where(eq(signupRequests.id, signup.id));
      const invited = checked.value.staff.map((s) => provisioned.membershipIds.get(s.email)!);
      await createInvitations(tx, tenantId, invited, input.reviewer.userId);
      const adoption = await adoptStandardTemplates(tx, tenantId, checked.value.templates, input.reviewer.userId);
      await enqueue(tx, [{ name: 'email.signupDecision', payload: { tenantId, signupId: signup.id } }]);
      await appendAudit(tx, tenantId, {
        type: 'signup.approved',
        subjectType: 'signup',
        subjectId: signup.id,
        actorUserId: input.reviewer.userId,
        ip: input.reviewer.ip,
        userAgent: input.reviewer.userAgent,
        data: { invitations: invited.length, adopted: adoption.adopted, needsPositions: adoption.needsPositions },
      });
      await nationalAudit(tx, nationalId, input.reviewer, { type: 'signup.approved', subjectType: 'signup', subjectId: signup.id, data: { tenantId, slug: input.slug } });
      return { ok: true, tenantId, slug: input.slug, ...adoption };
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: error.reason };
    if (isUniqueViolation(error)) return { ok: false, reason: (await slugTaken(db, input.slug)) ? 'slugTaken' : 'bodyKnown' };
    throw error;
  }
}

/**
 * The national office's own audit trail, written in the caller's transaction under the national
 * office's setting; the transaction's own tenant is set again afterwards, for what follows (and
 * for its own events, which are written at its end).
 */
export async function nationalAudit(
  tx: Tx,
  nationalId: string,
  reviewer: Reviewer,
  event: { type: string; subjectType: string; subjectId: string; data: Record<string, unknown> },
): Promise<void> {
  const [{ previous }] = rowsOf<{ previous: string | null }>(
    await tx.execute(sql`select current_setting('app.tenant_id', true) as previous, set_config('app.tenant_id', ${nationalId}, true)`),
  );
  await appendAudit(tx, nationalId, { ...event, actorUserId: reviewer.userId, ip: reviewer.ip, userAgent: reviewer.userAgent });
  if (previous && previous !== nationalId) await tx.execute(sql`select set_config('app.tenant_id', ${previous}, true)`);
}

export async function rejectSignup(db: Database, input: { signupId: string; reason: string; reviewer: Reviewer }): Promise<boolean> {
  const nationalId = await nationalTenantId(db);
  return withTenantOn(db, { tenantId: nationalId, userId: input.reviewer.userId }, async (tx) => {
    const [signup] = await tx
      .update(signupRequests)
      .set({ status: 'rejected', rejectionReason: input.reason, decidedAt: new Date(), decidedBy: input.reviewer.userId, adminPasswordHash: null, updatedAt: new Date() })
      .where(and(eq(signupRequests.id, input.signupId), eq(signupRequests.status, 'submitted')))
      .returning({ id: signupRequests.id });
    if (!signup) return false;
    await requestNationalEmail(tx, 'email.signupDecision', signup.id);
    await nationalAudit(tx, nationalId, input.reviewer, { type: 'signup.rejected', subjectType: 'signup', subjectId: signup.id, data: { reason: input.reason } });
    return true;
  });
}
