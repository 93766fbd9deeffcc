// The relational schema. Global tables (tenants, users, sessions, login throttling) have no
// tenant_id; every other table is tenant-scoped, keyed tenant-first, and isolated by the row
// level security policies of the hand-written migration (see docs/decisions/001-tenancy-rls.md).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Shared by every area's tables. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  kind: text('kind', { enum: ['national', 'municipality', 'city', 'city_municipality', 'agency'] }).notNull(),
  nameCyrl: text('name_cyrl').notNull(),
  nameLatn: text('name_latn').notNull(),
  nameEn: text('name_en').notNull(),
  maticniBroj: text('maticni_broj').unique(),
  pib: text('pib').unique(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  defaultLocale: text('default_locale', { enum: ['sr-Cyrl', 'sr-Latn', 'en'] }).notNull().default('sr-Cyrl'),
  registryFormat: text('registry_format').notNull().default('{class}-{seq}/{year}'),
  // Every member must use a second factor (national staff and administrators always must).
  requireMfa: boolean('require_mfa').notNull().default(false),
  createdAt: createdAt(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  // Stored lower-cased; the unique index is the identity.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash'),
  locale: text('locale', { enum: ['sr-Cyrl', 'sr-Latn', 'en'] }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    // sha256 of the cookie token: a leaked table cannot be replayed as cookies.
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const loginThrottle = pgTable('login_throttle', {
  // 'account:<email>' or 'ip:<address>'
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true, mode: 'date' }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true, mode: 'date' }),
});

/** A tenant table's first key column; rows go with their tenant. */
export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const orgUnits = pgTable(
  'org_units',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    parentId: uuid('parent_id'),
    code: text('code').notNull(),
    // Serbian name as written by the tenant (either script); shown transliterated per locale.
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('org_units_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
  ],
);

/** Roles an approval step may go to (app/auth/permissions.ts names them all). */
const routedRoles = ['unit_head', 'hr', 'finance', 'finance_head', 'chief_admin', 'registry_clerk', 'tenant_admin'] as const;

export const memberships = pgTable(
  'memberships',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fullName: text('full_name').notNull(),
    position: text('position').notNull(),
    orgUnitId: uuid('org_unit_id'),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('memberships_user_uq').on(t.tenantId, t.userId),
    index('memberships_user_idx').on(t.userId),
    // The holders of a role in a tenant (and unit), as approval lines resolve them: one small
    // index per role. `'hr' = any(roles)` cannot be an index condition under row level security
    // (array operators are not leakproof), but it can select a partial index. Not for
    // 'employee', which nearly everyone is.
    ...routedRoles.map((role) => index(`memberships_${role}_idx`).on(t.tenantId, t.orgUnitId).where(sql`${sql.raw(`'${role}'`)} = any(${t.roles})`)),
    foreignKey({ columns: [t.tenantId, t.orgUnitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    tenantId: tenantId(),
    // Position in the tenant's hash chain, gapless from 1.
    seq: bigint('seq', { mode: 'number' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    onBehalfOfUserId: uuid('on_behalf_of_user_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    type: text('type').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    index('audit_events_subject_idx').on(t.tenantId, t.subjectType, t.subjectId),
  ],
);

// The head of each tenant's chain; its row lock serialises appends within a tenant.
export const auditHeads = pgTable('audit_heads', {
  tenantId: tenantId().primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

export const outbox = pgTable(
  'outbox',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    job: text('job').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    relayedAt: timestamp('relayed_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    // Set when the job has run to its end (ADR 015); a relayed row without it past a bound and
    // missing from Redis is relayed again.
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('outbox_pending_idx').on(t.availableAt).where(sql`${t.relayedAt} is null`),
    index('outbox_unfinished_idx').on(t.createdAt).where(sql`${t.completedAt} is null`),
    index('outbox_relayed_unfinished_idx').on(t.relayedAt).where(sql`${t.completedAt} is null and ${t.relayedAt} is not null`),
  ],
);
