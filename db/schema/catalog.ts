// The national template catalog (global: every tenant reads it, only the national office
// writes it — enforced by policies in the catalog migration) and the tenants' adoptions.
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants, users } from './core';

export const templates = pgTable('templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
});

export const templateVersions = pgTable(
  'template_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status', { enum: ['draft', 'published', 'retired'] }).notNull().default('draft'),
    // Drafts may hold an unfinished definition; publishing validates the whole of it.
    definition: jsonb('definition').notNull(),
    // Adopters of older versions must move to this one by this date (then they are moved).
    adoptBy: date('adopt_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('template_versions_uq').on(t.templateId, t.version)],
);

export const adoptions = pgTable(
  'adoptions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    // The pinned version: new documents use it; documents in flight keep their own.
    versionId: uuid('version_id')
      .notNull()
      .references(() => templateVersions.id),
    parameters: jsonb('parameters').notNull().default(sql`'{}'::jsonb`),
    // Named position → membership ids of the people who fill it.
    positions: jsonb('positions').notNull().default(sql`'{}'::jsonb`),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }).notNull().defaultNow(),
    adoptedBy: uuid('adopted_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('adoptions_template_uq').on(t.tenantId, t.templateId),
    index('adoptions_version_idx').on(t.versionId),
  ],
);

