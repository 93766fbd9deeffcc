import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { exportTenant } from '#tenants/lifecycle.server';
import { belgradeDate } from '../time/belgrade';

/** Only the page offers the download: a link would export (and audit) on every prefetch. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { tenant } = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  throw redirect(`/t/${tenant.slug}/admin/export`);
}

/** The tenant's archive; a resource route so the bytes reach the browser as they are. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const { zip } = await withTenant(tenant.id, (tx) => exportTenant(tx, tenant.id, actor, context.locale), { userId: actor.userId });
  const day = belgradeDate();
  context.log.info({ tenant: tenant.slug, bytes: zip.byteLength }, 'tenant exported');
  return new Response(new Uint8Array(zip), {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Length': String(zip.byteLength),
      'Content-Disposition': `attachment; filename="delovod-${tenant.slug}-${day}.zip"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
