import type { LoaderFunctionArgs } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { documents } from '#db/schema';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { db, withTenant } from '../db.server';
import { i18nFor } from '../i18n/i18n';
import { canReadDocument } from '../workflow/documents/access.server';
import { documentPdf, pdfFileName } from '../workflow/documents/pdf.server';
import { printableDocument } from '../workflow/documents/printable.server';
import { sealedDocumentPdf } from '../workflow/sealing/seal-document.server';
import { isUuid } from '../ids';

const pdfResponse = (pdf: Uint8Array, registryNumber: string) =>
  new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.byteLength),
      'Content-Disposition': `attachment; filename="${pdfFileName(registryNumber)}"`,
      'Cache-Control': 'private, no-store',
    },
  });

/**
 * A numbered document as a PDF, for whoever may read the document. A registered one is its
 * sealed original (ADR 012): the stored bytes, the same on every download, in the tenant's
 * language; the first download seals it if the job has not yet. One numbered but not registered
 * yet (incoming mail still on its line) is printed unsealed in the reader's language. Anyone
 * else, and any document without a number, gets 404: the answer does not tell whether such a
 * document exists.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  const documentId = params.id ?? '';
  if (!isUuid(documentId)) notFound();
  const tenantId = access.tenant.id;
  const found = await withTenant(
    tenantId,
    async (tx) => {
      const allowed = await canReadDocument(
        tx,
        { tenantId, membershipId: access.membership.id, registryOffice: access.permissions.has('read:registry:tenant') },
        documentId,
      );
      if (!allowed) return null;
      const [doc] = await tx.select({ state: documents.state }).from(documents).where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)));
      if (doc?.state === 'registered') return { registered: true as const };
      const printable = await printableDocument(tx, { tenantId, documentId, locale: context.locale });
      return printable && { printable };
    },
    { userId: access.signedIn.user.id, readOnly: true },
  );
  if (!found) notFound();
  if (found.printable) {
    // Rendered after the transaction has ended, so a slow render holds no connection.
    return pdfResponse(await documentPdf(found.printable), found.printable.registryNumber);
  }
  try {
    const sealed = await sealedDocumentPdf(db(), { tenantId, documentId });
    if (!sealed) notFound();
    return pdfResponse(sealed.pdf, sealed.registryNumber);
  } catch (error) {
    if (error instanceof Response) throw error;
    // A seal that cannot be made now (e.g. the time-stamp authority is away) is made later, by its job.
    context.log.error({ err: error, documentId }, 'document could not be sealed');
    return new Response(i18nFor(context.locale).t('seal.unavailable'), {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60', 'Cache-Control': 'no-store' },
    });
  }
}
