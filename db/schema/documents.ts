// Documents and their approval lines, revisions, attachments, registry numbers and the
// in-app notifications they cause. All tenant-scoped, keyed tenant-first.
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  date,
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
import { templates, templateVersions } from './catalog';
import { createdAt, memberships, orgUnits, tenantId } from './core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const documentStates = ['draft', 'in_approval', 'returned', 'approved', 'registered', 'rejected', 'withdrawn'] as const;
export type DocumentState = (typeof documentStates)[number];

export const documents = pgTable(
  'documents',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    // Pinned at creation: the document keeps this version whatever the tenant adopts later.
    versionId: uuid('version_id')
      .notNull()
      .references(() => templateVersions.id),
    authorId: uuid('author_id').notNull(),
    authorUnitId: uuid('author_unit_id'),
    state: text('state', { enum: documentStates }).notNull().default('draft'),
    values: jsonb('values').notNull().default(sql`'{}'::jsonb`),
    computed: jsonb('computed').notNull().default(sql`'{}'::jsonb`),
    // The tenant parameters (premiums, rates) `computed` was computed with, written with it
    // (migration 0091): a registered slip states its basis from these, whatever the tenant sets
    // later. Null on rows computed before the migration: unknown.
    computedParameters: jsonb('computed_parameters').$type<Record<string, number>>(),
    // Who, which day and which month a document is about, as the standard templates name those
    // fields, kept as columns for indexes: under row level security an index condition on
    // `values->>'…'` is not allowed (the JSON operator is not leakproof), on a column it is.
    valuesEmployee: text('values_employee').generatedAlwaysAs(sql`("values"->>'employee')`),
    valuesDate: text('values_date').generatedAlwaysAs(sql`("values"->>'date')`),
    valuesMonth: text('values_month').generatedAlwaysAs(sql`("values"->>'month')`),
    // Optimistic concurrency: every transition bumps it; a stale action is refused.
    version: integer('version').notNull().default(1),
    // The approval line restarts after a return for correction.
    round: integer('round').notNull().default(0),
    sourceDocumentId: uuid('source_document_id'),
    // What a periodic document pays (`<period>|<match values>`), set by the engine on submission,
    // and the registered document a corrective one corrects (migration 0020).
    periodKey: text('period_key'),
    correctsId: uuid('corrects_id'),
    registryNumber: text('registry_number'),
    registryYear: integer('registry_year'),
    registryClass: text('registry_class'),
    registrySeq: integer('registry_seq'),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('documents_author_idx').on(t.tenantId, t.authorId, t.updatedAt),
    index('documents_template_state_idx').on(t.tenantId, t.templateId, t.state),
    index('documents_registered_idx').on(t.tenantId, t.registeredAt).where(sql`${t.registryNumber} is not null`),
    // A person's documents by date (the overtime limits count them on every submission; a pay
    // slip sums the month's reports) and a month's pay slips (the monthly report).
    index('documents_employee_date_idx').on(t.tenantId, t.templateId, t.valuesEmployee, t.valuesDate).where(sql`${t.valuesEmployee} is not null`),
    index('documents_month_idx').on(t.tenantId, t.templateId, t.valuesMonth).where(sql`${t.valuesMonth} is not null`),
    // Registered documents only: the registry log reads it backwards from the latest number, and
    // unregistered rows (nulls, which sort first that way) would be walked past on every page.
    uniqueIndex('documents_registry_uq').on(t.tenantId, t.registryYear, t.registryClass, t.registrySeq).where(sql`${t.registryNumber} is not null`),
    // Which kinds of document the tenant's registry holds (the log's filter).
    index('documents_registered_template_idx').on(t.tenantId, t.templateId).where(sql`${t.registryNumber} is not null`),
    foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [memberships.tenantId, memberships.id] }),
    foreignKey({ columns: [t.tenantId, t.authorUnitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.sourceDocumentId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.correctsId], foreignColumns: [t.tenantId, t.id] }),
    // One month, one payment: one ordinary slip per key in approval or paid, one correction in approval.
    uniqueIndex('documents_one_payment_uq')
      .on(t.tenantId, t.templateId, t.periodKey)
      .where(sql`${t.periodKey} is not null and ${t.correctsId} is null and ${t.state} in ('in_approval', 'approved', 'registered')`),
    uniqueIndex('documents_one_open_correction_uq')
      .on(t.tenantId, t.templateId, t.periodKey)
      .where(sql`${t.periodKey} is not null and ${t.correctsId} is not null and ${t.state} in ('in_approval', 'approved')`),
  ],
);

export const stepStates = ['waiting', 'pending', 'done', 'skipped'] as const;
export const stepOutcomes = ['approved', 'rejected', 'returned', 'opinion', 'acknowledged', 'prepared'] as const;

export const documentSteps = pgTable(
  'document_steps',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    documentId: uuid('document_id').notNull(),
    round: integer('round').notNull(),
    // Stage order in the line; steps of one parallel group share a stage.
    stage: integer('stage').notNull(),
    stepKey: text('step_key').notNull(),
    kind: text('kind', { enum: ['approve', 'consult', 'acknowledge', 'prepare'] }).notNull(),
    assigneeId: uuid('assignee_id').notNull(),
    state: text('state', { enum: stepStates }).notNull().default('waiting'),
    outcome: text('outcome', { enum: stepOutcomes }),
    // Who acted: the assignee, or their substitute acting on their behalf.
    actedById: uuid('acted_by_id'),
    onBehalfOfId: uuid('on_behalf_of_id'),
    comment: text('comment'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    actedAt: timestamp('acted_at', { withTimezone: true }),
    // Reminder rounds already sent for this step (the jobs issue counts them here).
    remindersSent: integer('reminders_sent').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('document_steps_document_idx').on(t.tenantId, t.documentId, t.round, t.stage),
    index('document_steps_inbox_idx').on(t.tenantId, t.assigneeId, t.state),
    // The reminder sweep's: pending steps still owed a round (REMINDER_ROUNDS reminders, then
    // the escalation, which sets 4). Escalated steps wait on in inboxes, not in this index.
    // Migration 0017 adds INCLUDE (tenant_id, id, reminders_sent), which drizzle cannot state:
    // the sweep reads and filters only those, so it never visits the table.
    index('document_steps_due_idx').on(t.dueAt).where(sql`${t.state} = 'pending' and ${t.remindersSent} <= 3`),
    foreignKey({ columns: [t.tenantId, t.documentId], foreignColumns: [documents.tenantId, documents.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.assigneeId], foreignColumns: [memberships.tenantId, memberships.id] }),
  ],
);

export const documentRevisions = pgTable(
  'document_revisions',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    documentId: uuid('document_id').notNull(),
    revision: integer('revision').notNull(),
    values: jsonb('values').notNull(),
    authorId: uuid('author_id').notNull(),
    reason: text('reason', { enum: ['submitted', 'resubmitted', 'prepared'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('document_revisions_uq').on(t.tenantId, t.documentId, t.revision),
    foreignKey({ columns: [t.tenantId, t.documentId], foreignColumns: [documents.tenantId, documents.id] }).onDelete('cascade'),
  ],
);

export const documentAttachments = pgTable(
  'document_attachments',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    documentId: uuid('document_id').notNull(),
    field: text('field').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedById: uuid('uploaded_by_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('document_attachments_document_idx').on(t.tenantId, t.documentId),
    foreignKey({ columns: [t.tenantId, t.documentId], foreignColumns: [documents.tenantId, documents.id] }).onDelete('cascade'),
  ],
);

// Gapless numbering: the row lock of the counter serialises registrations of one
// (tenant, year, classification), and a rolled-back registration takes its number back.
export const registryCounters = pgTable(
  'registry_counters',
  {
    tenantId: tenantId(),
    year: integer('year').notNull(),
    classification: text('classification').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year, t.classification] })],
);

export const notifications = pgTable(
  'notifications',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    recipientId: uuid('recipient_id').notNull(),
    kind: text('kind').notNull(),
    documentId: uuid('document_id'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('notifications_recipient_idx').on(t.tenantId, t.recipientId, t.createdAt),
    // The unread badge on every page: a registry clerk collects hundreds of thousands of read ones.
    index('notifications_unread_idx').on(t.tenantId, t.recipientId).where(sql`${t.readAt} is null`),
    foreignKey({ columns: [t.tenantId, t.recipientId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
  ],
);

// Delegated approval (위임전결): for this template, an approval by a holder of this role is final.
export const delegations = pgTable(
  'delegations',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('delegations_uq').on(t.tenantId, t.templateId, t.role)],
);

// Months closed for entries (payroll done): documents dated in them are refused.
export const closedMonths = pgTable(
  'closed_months',
  {
    tenantId: tenantId(),
    month: date('month').notNull(),
    closedBy: uuid('closed_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month] })],
);
