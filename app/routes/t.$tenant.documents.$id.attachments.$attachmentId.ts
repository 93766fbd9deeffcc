import type { LoaderFunctionArgs } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { documentAttachments } from '#db/schema';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { loadCard } from '../workflow/engine/card.server';

/** An attachment, for whoever may see its document; sent as a download, never rendered inline. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'read:inbox:own');
  const file = await withTenant(
    access.tenant.id,
    async (tx) => {
      const card = await loadCard(tx, { tenantId: access.tenant.id, membershipId: access.membership.id, permissions: access.permissions }, params.id!, context.locale);
      if (!card || !card.attachments.some((a) => a.id === params.attachmentId)) return null;
      const [row] = await tx
        .select()
        .from(documentAttachments)
        .where(and(eq(documentAttachments.tenantId, access.tenant.id), eq(documentAttachments.id, params.attachmentId!)));
      return row;
    },
    { userId: access.signedIn.user.id },
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
