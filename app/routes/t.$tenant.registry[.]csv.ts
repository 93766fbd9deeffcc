import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { parseRegistryQuery, registryLogCsv } from '../workflow/documents/registry-log.server';
import { belgradeDate } from '../time/belgrade';

/** The registry log as CSV, with the page's filters; streamed, so a whole year downloads in constant memory. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'read:registry:tenant');
  const { filter, errors } = parseRegistryQuery(new URL(request.url).searchParams);
  // The page only links filters it could use; exporting more than was asked for would mislead.
  if (Object.keys(errors).length) throw new Response('Bad Request', { status: 400 });
  const csv = registryLogCsv((fn) => withTenant(tenant.id, fn, { userId: signedIn.user.id }), tenant.id, filter, context.locale);
  const day = belgradeDate();
  return new Response(createReadableStreamFromReadable(csv), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="delovodnik-${tenant.slug}-${day}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
