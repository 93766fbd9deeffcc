import type { LoaderFunctionArgs } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { documentAttachments } from '#db/schema';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { isUuid } from '../ids';
import { canReadDocument } from '../workflow/documents/access.server';

/** An attachment, for whoever may see its document; sent as a download, never rendered inline. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  const { id: documentId, attachmentId } = params;
  if (!isUuid(documentId) || !isUuid(attachmentId)) notFound();
  const tenantId = access.tenant.id;
  const reader = { tenantId, membershipId: access.membership.id, registryOffice: access.permissions.has('read:registry:tenant') };
  const file = await withTenant(
    tenantId,
    async (tx) => {
      // The file only if the document is the reader's to see, and the file is this document's.
      if (!(await canReadDocument(tx, reader, documentId))) return undefined;
      const [row] = await tx
        .select()
        .from(documentAttachments)
        .where(and(eq(documentAttachments.tenantId, tenantId), eq(documentAttachments.documentId, documentId), eq(documentAttachments.id, attachmentId)));
      return row;
    },
    { userId: access.signedIn.user.id, readOnly: true },
  );
  if (!file) notFound();
  const ascii = file.fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(new Uint8Array(file.content), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
