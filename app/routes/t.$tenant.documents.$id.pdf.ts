import type { LoaderFunctionArgs } from '@remix-run/node';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { canReadDocument } from '../workflow/documents/access.server';
import { documentPdf, pdfFileName } from '../workflow/documents/pdf.server';
import { printableDocument } from '../workflow/documents/printable.server';
import { isUuid } from '../ids';

/**
 * The registered document as a PDF, in the reader's language, for whoever may read the
 * document. Anyone else, and any document not registered, gets 404: the answer does not tell
 * whether such a document exists.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  const documentId = params.id ?? '';
  if (!isUuid(documentId)) notFound();
  const tenantId = access.tenant.id;
  const printable = await withTenant(
    tenantId,
    async (tx) => {
      const allowed = await canReadDocument(
        tx,
        { tenantId, membershipId: access.membership.id, registryOffice: access.permissions.has('read:registry:tenant') },
        documentId,
      );
      return allowed ? printableDocument(tx, { tenantId, documentId, locale: context.locale }) : null;
    },
    { userId: access.signedIn.user.id },
  );
  if (!printable) notFound();
  // Rendered after the transaction has ended, so a slow render holds no connection.
  const pdf = await documentPdf(printable);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.byteLength),
      'Content-Disposition': `attachment; filename="${pdfFileName(printable.registryNumber)}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
