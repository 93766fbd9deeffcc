// The public API and webhooks (ADR 014): a tenant's API clients (secrets stored as SHA-256 only),
// the idempotency keys of their creates, its webhook subscriptions, the events they receive and
// every delivery's record. All tenant-scoped under the RLS of migration 0080.
import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiScopes, webhookEventTypes } from '../vocabulary';
import { createdAt, memberships, tenantId } from './core';

export { apiScopes, webhookEventTypes, type ApiScope, type WebhookEventType } from '../vocabulary';

export const apiClients = pgTable(
  'api_clients',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    scopes: text('scopes', { enum: apiScopes }).array().notNull(),
    // The member the client acts as: the author of the drafts it creates.
    membershipId: uuid('membership_id').notNull(),
    // Hex SHA-256 of the secret part of the token; the token itself is shown once.
    secretHash: text('secret_hash').notNull(),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(120),
    // The current fixed window of the rate limit and the calls counted in it.
    rateWindow: timestamp('rate_window', { withTimezone: true }),
    rateCount: integer('rate_count').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }),
  ],
);

export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    tenantId: tenantId(),
    clientId: uuid('client_id').notNull(),
    key: text('key').notNull(),
    // Hex SHA-256 of the method, path and body the key was first used with.
    requestSha256: text('request_sha256').notNull(),
    status: integer('status'),
    body: jsonb('body'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.clientId, t.key] }),
    foreignKey({ columns: [t.tenantId, t.clientId], foreignColumns: [apiClients.tenantId, apiClients.id] }).onDelete('cascade'),
  ],
);

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    url: text('url').notNull(),
    events: text('events', { enum: webhookEventTypes }).array().notNull(),
    // 'whsec_' + base64 of 32 random bytes (Standard Webhooks); the signing key, so kept as is.
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    createdById: uuid('created_by_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    // Order of events (several can share a transaction's moment): deliveries of one subject go in it.
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    type: text('type', { enum: webhookEventTypes }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    data: jsonb('data').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    subscriptionId: uuid('subscription_id').notNull(),
    // The event's subject and order, copied: the order check reads one table.
    subjectId: uuid('subject_id').notNull(),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.eventId], foreignColumns: [webhookEvents.tenantId, webhookEvents.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.subscriptionId], foreignColumns: [webhookSubscriptions.tenantId, webhookSubscriptions.id] }).onDelete('cascade'),
    index('webhook_deliveries_order_idx').on(t.tenantId, t.subscriptionId, t.subjectId, t.eventSeq).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_log_idx').on(t.tenantId, t.createdAt),
  ],
);
