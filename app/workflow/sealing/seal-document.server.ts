// A registered document's sealed PDF (ADR 012): made once — by the 'documents.seal' job that
// registration requests, or by the first download if that comes first — and stored; every
// download after that gets the stored bytes, unchanged. The original is in the tenant's
// language, as the authority issues it, whoever downloads it.
import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { appendAudit } from '#db/audit';
import type { Database, Tx } from '#db/client';
import { documents, sealedDocuments, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { env } from '../../env.server';
import { i18nFor } from '../../i18n/i18n';
import { composeDocumentPdf } from '../documents/pdf.server';
import { printableDocument, type PrintableDocument } from '../documents/printable.server';
import { deploymentSeal } from './deployment-seal.server';
import type { SealIdentity } from './identity.server';
import { sealPdf } from './pades.server';

/** The printable document as a sealed PDF: the seal block closes it and the signature is laid over that block. */
export async function sealPrintable(d: PrintableDocument, seal: SealIdentity, options: { sealedAt: Date; tsaUrl?: string }): Promise<Uint8Array> {
  const t = i18nFor(d.locale).t;
  const { pdf, sealBlock } = await composeDocumentPdf(d, { holder: seal.name, sealedAt: options.sealedAt, timestamped: !!options.tsaUrl, test: seal.test });
  return sealPdf(
    pdf,
    seal,
    { ...sealBlock!, reason: t('seal.reason', { number: d.registryNumber }), location: d.tenantName, sealedAt: options.sealedAt },
    { tsaUrl: options.tsaUrl },
  );
}

export interface SealedPdf {
  pdf: Buffer;
  registryNumber: string;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function storedSeal(tx: Tx, tenantId: string, documentId: string): Promise<SealedPdf | undefined> {
  const [row] = await tx
    .select({ pdf: sealedDocuments.pdf, registryNumber: documents.registryNumber })
    .from(sealedDocuments)
    .innerJoin(documents, and(eq(documents.tenantId, sealedDocuments.tenantId), eq(documents.id, sealedDocuments.documentId)))
    .where(and(eq(sealedDocuments.tenantId, tenantId), eq(sealedDocuments.documentId, documentId)));
  return row && { pdf: row.pdf, registryNumber: row.registryNumber! };
}

/**
 * The registered document's sealed PDF: the stored one, or sealed now and stored. Null when the
 * tenant has no such registered document. Sealing runs outside any transaction (a time-stamp
 * authority may take seconds); when two seal the same document at once, the first stored wins
 * and both return it. A seal that cannot be made (an authority that does not answer) throws.
 */
export async function sealedDocumentPdf(db: Database, { tenantId, documentId }: { tenantId: string; documentId: string }, now = new Date()): Promise<SealedPdf | null> {
  const found = await withTenantOn(
    db,
    { tenantId },
    async (tx) => {
      const stored = await storedSeal(tx, tenantId, documentId);
      if (stored) return { stored };
      const [doc] = await tx
        .select({ state: documents.state, locale: tenants.defaultLocale })
        .from(documents)
        .innerJoin(tenants, eq(tenants.id, documents.tenantId))
        .where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)));
      if (doc?.state !== 'registered') return null;
      return { printable: await printableDocument(tx, { tenantId, documentId, locale: doc.locale }) };
    },
    { readOnly: true },
  );
  if (!found) return null;
  if (found.stored) return found.stored;
  const printable = found.printable!;
  const seal = await deploymentSeal(db);
  if (seal.validTo < now) throw new Error(`the seal certificate expired on ${seal.validTo.toISOString()}`);
  const tsaUrl = env().SEAL_TSA_URL;
  const pdf = Buffer.from(await sealPrintable(printable, seal, { sealedAt: now, tsaUrl }));
  return withTenantOn(db, { tenantId }, async (tx) => {
    const [added] = await tx
      .insert(sealedDocuments)
      .values({
        tenantId,
        documentId,
        pdf,
        sha256: sha256(pdf),
        locale: printable.locale,
        level: tsaUrl ? 'B-T' : 'B-B',
        testSeal: seal.test,
        holder: seal.name,
        certificateSha256: sha256(seal.certificate),
        sealedAt: now,
      })
      .onConflictDoNothing()
      .returning({ sha256: sealedDocuments.sha256, level: sealedDocuments.level });
    // The sealed file's hash joins the tenant's audit chain with it.
    if (added) {
      await appendAudit(tx, tenantId, {
        type: 'document.sealed',
        subjectType: 'document',
        subjectId: documentId,
        data: { sha256: added.sha256, level: added.level, testSeal: seal.test, certificateSha256: sha256(seal.certificate) },
      });
      return { pdf, registryNumber: printable.registryNumber };
    }
    return (await storedSeal(tx, tenantId, documentId))!;
  });
}
