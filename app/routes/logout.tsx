import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import * as z from 'zod';
import { endAllSessions, endSession } from '../auth/session.server';
import { parseForm } from '../framework/form.server';

// The header's sign-out button posts nothing; the account page's "everywhere" button names its scope.
const logoutSchema = z.object({ scope: z.enum(['everywhere']).optional() });

export async function loader() {
  throw redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = context.auth.signedIn;
  if (!signedIn) throw redirect('/login');
  const submission = await parseForm(request, logoutSchema);
  // A scope no button sends: refused, no session ended (the boundary's translated 400).
  if (submission.status !== 'success') throw new Response('Bad Request', { status: 400 });
  const everywhere = submission.value.scope === 'everywhere';
  const cookie = everywhere ? await endAllSessions(signedIn.user.id) : await endSession(signedIn.session.id);
  context.log.info({ userId: signedIn.user.id, everywhere }, 'signed out');
  throw redirect('/login?signedOut=1', { headers: { 'Set-Cookie': cookie } });
}
