import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantMember } from '../auth/guards.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { tenant } = await requireTenantMember(context, request, params.tenant);
  throw redirect(`/t/${tenant.slug}/inbox`);
}
