// Background jobs' tenant data: built reports and the delivery record of each email, both
// tenant-scoped under the RLS of the jobs migration (see docs/decisions/ (jobs and email)).
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const reportStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const reports = pgTable(
  'reports',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: ['overtime-monthly'] }).notNull(),
    // 'YYYY-MM'
    period: text('period').notNull(),
    status: text('status', { enum: reportStatuses }).notNull().default('queued'),
    // Percent done, for the page that watches it.
    progress: integer('progress').notNull().default(0),
    // Null for the scheduled monthly report.
    requestedBy: uuid('requested_by'),
    csv: bytea('csv'),
    pdf: bytea('pdf'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('reports_created_idx').on(t.tenantId, t.createdAt),
    // One scheduled report per tenant and month, however often the schedule fires.
    uniqueIndex('reports_scheduled_uq').on(t.tenantId, t.kind, t.period).where(sql`${t.requestedBy} is null`),
  ],
);

export const emailDeliveries = pgTable(
  'email_deliveries',
  {
    tenantId: tenantId(),
    // The outbox row that asked for the email: one delivery per row.
    outboxId: uuid('outbox_id').notNull(),
    status: text('status', { enum: ['sending', 'sent', 'skipped'] }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    recipient: text('recipient'),
    messageId: text('message_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.outboxId] })],
);
