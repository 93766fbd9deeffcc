// Sealed PDFs (ADR 012): each registered document's PDF as it was sealed, once, under the
// tenant's RLS — the runtime role may add a row and read it, never change or remove it — and
// the deployment's self-signed test seal, made once when no seal certificate is configured.
import { sql } from 'drizzle-orm';
import { boolean, check, customType, foreignKey, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantId } from './core';
import { documents } from './documents';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const sealedDocuments = pgTable(
  'sealed_documents',
  {
    tenantId: tenantId(),
    documentId: uuid('document_id').notNull(),
    pdf: bytea('pdf').notNull(),
    // Hex SHA-256 of the PDF, also in the tenant's audit chain ('document.sealed').
    sha256: text('sha256').notNull(),
    locale: text('locale', { enum: ['sr-Cyrl', 'sr-Latn', 'en'] }).notNull(),
    level: text('level', { enum: ['B-B', 'B-T'] }).notNull(),
    testSeal: boolean('test_seal').notNull(),
    // The seal's holder as its certificate names it, and the certificate's hex SHA-256.
    holder: text('holder').notNull(),
    certificateSha256: text('certificate_sha256').notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.documentId] }),
    foreignKey({ columns: [t.tenantId, t.documentId], foreignColumns: [documents.tenantId, documents.id] }).onDelete('cascade'),
  ],
);

// Global: one row at most.
export const testSeals = pgTable(
  'test_seals',
  {
    id: integer('id').primaryKey().default(1),
    // A PKCS#12 file with the key and the self-signed certificate (password: TEST_SEAL_PASSWORD).
    p12: bytea('p12').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('test_seals_one', sql`${t.id} = 1`)],
);
