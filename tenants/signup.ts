// The signup wizard's drafts: anonymous, saved server-side after every step, reached through
// a token in a cookie or in a resume link. Signup emails go through the national office's
// outbox: the office is the sender, and a signup has no tenant of its own yet.
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '#db/client';
import { signupRequests, tenants } from '#db/schema';
import type { WizardStep } from '#app/onboarding/schemas';
import { enqueue } from '#jobs/kinds';
import { LIVE_TOKENS, newToken, tokenHash } from './tokens';

export type Signup = typeof signupRequests.$inferSelect;

export interface SignupAnswers {
  body?: Record<string, unknown>;
  admin?: Record<string, unknown>;
  units?: unknown[];
  staff?: unknown[];
  templates?: string[];
  /** What was typed into a step's form and not yet accepted, so leaving the step loses nothing. */
  pending?: Partial<Record<WizardStep, Record<string, unknown>>>;
  /** Rows of an imported CSV file left out for their problems, shown again at the review. */
  skipped?: Partial<Record<'units' | 'staff', SkippedRow[]>>;
}

export interface SkippedRow {
  line: number;
  values: Record<string, string>;
  errors: string[];
}

/** Drafts untouched this long can no longer be resumed. */
export const DRAFT_DAYS = 30;
const RESUME_EMAIL_INTERVAL_MS = 5 * 60_000;

export async function nationalTenantId(db: Database): Promise<string> {
  const [national] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.kind, 'national'));
  if (!national) throw new Error('no national office tenant: seed it before accepting signups');
  return national.id;
}

export async function startSignup(db: Database, templates: string[]): Promise<{ signup: Signup; token: string }> {
  const token = newToken();
  const [signup] = await db
    .insert(signupRequests)
    .values({ tokenHashes: [tokenHash(token)], answers: { templates } satisfies SignupAnswers })
    .returning();
  return { signup, token };
}

/** The signup a token opens, whatever its status; null for an unknown or abandoned one. */
export async function signupByToken(db: Database, token: string | null | undefined): Promise<Signup | null> {
  if (!token || token.length > 100) return null;
  const [signup] = await db
    .select()
    .from(signupRequests)
    .where(sql`${signupRequests.tokenHashes} @> array[${tokenHash(token)}]::text[]`);
  if (!signup) return null;
  const abandoned = signup.status === 'draft' && Date.now() - signup.updatedAt.getTime() > DRAFT_DAYS * 86_400_000;
  return abandoned ? null : signup;
}

/** A new link to the draft (the resume email's); the oldest links stop working. */
export async function issueSignupResumeToken(db: Database, signupId: string): Promise<string> {
  const token = newToken();
  await db
    .update(signupRequests)
    .set({ tokenHashes: sql`(array[${tokenHash(token)}]::text[] || ${signupRequests.tokenHashes})[1:${LIVE_TOKENS}]` })
    .where(eq(signupRequests.id, signupId));
  return token;
}

export interface StepSave {
  answers: SignupAnswers;
  /** The step passed validation (true), failed or was left unchecked (false). */
  completed?: boolean;
  step: WizardStep;
  adminPasswordHash?: string;
  columns?: Partial<Pick<Signup, 'maticniBroj' | 'pib' | 'nameCyrl' | 'contactEmail'>>;
}

/** Saves a draft's answers; refuses (false) once the signup has been submitted. */
export async function saveSignupStep(db: Database, signup: Signup, save: StepSave): Promise<boolean> {
  const completed = new Set(signup.completedSteps);
  if (save.completed === true) completed.add(save.step);
  if (save.completed === false) completed.delete(save.step);
  const emailChanged = save.columns?.contactEmail !== undefined && save.columns.contactEmail !== signup.contactEmail;
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(signupRequests)
      .set({
        answers: save.answers,
        completedSteps: [...completed],
        updatedAt: new Date(),
        ...(save.adminPasswordHash ? { adminPasswordHash: save.adminPasswordHash } : {}),
        ...save.columns,
        ...(emailChanged ? { resumeSentAt: new Date() } : {}),
      })
      .where(and(eq(signupRequests.id, signup.id), eq(signupRequests.status, 'draft')))
      .returning({ id: signupRequests.id });
    // The first time we know where to write, the applicant gets the link to come back.
    if (rows.length && emailChanged) await requestNationalEmail(tx, 'email.signupResume', signup.id);
    return rows.length > 0;
  });
  return updated;
}

/** Writes an email of the national office in the caller's transaction (and scopes it there). */
export async function requestNationalEmail(
  tx: Tx,
  job: 'email.signupResume' | 'email.signupSubmitted' | 'email.signupDecision',
  signupId: string,
): Promise<void> {
  const [national] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.kind, 'national'));
  if (!national) throw new Error('no national office tenant');
  await tx.execute(sql`select set_config('app.tenant_id', ${national.id}, true)`);
  await enqueue(tx, [{ name: job, payload: { tenantId: national.id, signupId } }]);
}

/** "Email me the link": at most once every five minutes. */
export async function requestResumeEmail(db: Database, signup: Signup): Promise<'sent' | 'tooSoon' | 'noEmail'> {
  if (!signup.contactEmail) return 'noEmail';
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(signupRequests)
      .set({ resumeSentAt: new Date() })
      .where(
        and(
          eq(signupRequests.id, signup.id),
          sql`(${signupRequests.resumeSentAt} is null or ${signupRequests.resumeSentAt} < ${new Date(Date.now() - RESUME_EMAIL_INTERVAL_MS)})`,
        ),
      )
      .returning({ id: signupRequests.id });
    if (!rows.length) return 'tooSoon' as const;
    await requestNationalEmail(tx, 'email.signupResume', signup.id);
    return 'sent' as const;
  });
}

export type KnownBody = { kind: 'tenant'; slug: string } | { kind: 'pending'; submittedAt: Date };

/** Is this body (by matični broj or PIB) already on Delovod, or already applying? */
export async function knownBody(db: Database, ids: { maticniBroj: string; pib: string }, exceptSignupId?: string): Promise<KnownBody | null> {
  const [tenant] = await db
    .select({ slug: tenants.slug })
    .from(tenants)
    .where(or(eq(tenants.maticniBroj, ids.maticniBroj), eq(tenants.pib, ids.pib)));
  if (tenant) return { kind: 'tenant', slug: tenant.slug };
  const [pending] = await db
    .select({ submittedAt: signupRequests.submittedAt })
    .from(signupRequests)
    .where(
      and(
        eq(signupRequests.status, 'submitted'),
        or(eq(signupRequests.maticniBroj, ids.maticniBroj), eq(signupRequests.pib, ids.pib)),
        exceptSignupId ? ne(signupRequests.id, exceptSignupId) : undefined,
      ),
    );
  return pending ? { kind: 'pending', submittedAt: pending.submittedAt! } : null;
}

/**
 * Submits a complete draft for review. A body already on Delovod or already under review is
 * refused; two submissions racing for one body meet the partial unique index.
 */
export async function submitSignup(db: Database, signup: Signup): Promise<{ ok: true } | { ok: false; known: KnownBody | null }> {
  const known = await knownBody(db, { maticniBroj: signup.maticniBroj ?? '', pib: signup.pib ?? '' }, signup.id);
  if (known) return { ok: false, known };
  try {
    return await db.transaction(async (tx) => {
      const rows = await tx
        .update(signupRequests)
        .set({ status: 'submitted', submittedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(signupRequests.id, signup.id), eq(signupRequests.status, 'draft')))
        .returning({ id: signupRequests.id });
      if (rows.length) await requestNationalEmail(tx, 'email.signupSubmitted', signup.id);
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, known: await knownBody(db, { maticniBroj: signup.maticniBroj ?? '', pib: signup.pib ?? '' }, signup.id) };
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export function signupsWithStatus(db: Database, statuses: Signup['status'][]) {
  return db.select().from(signupRequests).where(inArray(signupRequests.status, statuses)).orderBy(signupRequests.submittedAt);
}
