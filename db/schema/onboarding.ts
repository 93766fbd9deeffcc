// Onboarding: municipality signups (global: there is no tenant yet), staff invitations,
// substitutes and the tenant's holiday calendar (tenant-scoped, under the RLS of the
// onboarding migration).
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, memberships, tenantId, tenants, users } from './core';


export const signupStatuses = ['draft', 'submitted', 'approved', 'rejected'] as const;

export const signupRequests = pgTable(
  'signup_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status', { enum: signupStatuses }).notNull().default('draft'),
    // sha256 of the live resume tokens (the wizard's cookie and links sent by email).
    tokenHashes: text('token_hashes').array().notNull().default(sql`'{}'::text[]`),
    // The wizard's answers per step, as typed (so nothing is lost), without the password.
    answers: jsonb('answers').notNull().default(sql`'{}'::jsonb`),
    // Steps whose answers passed validation.
    completedSteps: text('completed_steps').array().notNull().default(sql`'{}'::text[]`),
    adminPasswordHash: text('admin_password_hash'),
    // Copied from valid answers, for the duplicate checks and the reviewers' list.
    maticniBroj: text('maticni_broj'),
    pib: text('pib'),
    nameCyrl: text('name_cyrl'),
    contactEmail: text('contact_email'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    resumeSentAt: timestamp('resume_sent_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    rejectionReason: text('rejection_reason'),
    // Not named tenant_id: this global row is no tenant's data (the catalog test keys on the name).
    provisionedTenantId: uuid('provisioned_tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('signup_requests_token_idx').using('gin', t.tokenHashes),
    index('signup_requests_status_idx').on(t.status, t.submittedAt),
    // One application under review per body: a second one is caught by the wizard, and a
    // race between two submissions by this index.
    uniqueIndex('signup_requests_pending_mb_uq').on(t.maticniBroj).where(sql`${t.status} = 'submitted'`),
    uniqueIndex('signup_requests_pending_pib_uq').on(t.pib).where(sql`${t.status} = 'submitted'`),
  ],
);


export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    membershipId: uuid('membership_id').notNull(),
    // sha256 of each link delivered (shown to the admin, sent by email); all die on acceptance.
    tokenHashes: text('token_hashes').array().notNull().default(sql`'{}'::text[]`),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    invitedBy: uuid('invited_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('invitations_membership_uq').on(t.tenantId, t.membershipId),
    index('invitations_token_idx').using('gin', t.tokenHashes),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
  ],
);

export const substitutes = pgTable(
  'substitutes',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    absentMembershipId: uuid('absent_membership_id').notNull(),
    substituteMembershipId: uuid('substitute_membership_id').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('substitutes_absent_idx').on(t.tenantId, t.absentMembershipId, t.startsOn),
    foreignKey({ columns: [t.tenantId, t.absentMembershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.substituteMembershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
    check('substitutes_period_ck', sql`${t.endsOn} >= ${t.startsOn}`),
    check('substitutes_other_person_ck', sql`${t.absentMembershipId} <> ${t.substituteMembershipId}`),
  ],
);

export const holidays = pgTable(
  'holidays',
  {
    tenantId: tenantId(),
    date: date('date').notNull(),
    // Serbian name as written by the tenant (either script); shown transliterated per locale.
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.date] })],
);
