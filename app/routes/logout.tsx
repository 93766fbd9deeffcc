import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { endAllSessions, endSession } from '../auth/session.server';

export async function loader() {
  throw redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = context.auth.signedIn;
  if (!signedIn) throw redirect('/login');
  const everywhere = (await request.formData()).get('scope') === 'everywhere';
  const cookie = everywhere ? await endAllSessions(signedIn.user.id) : await endSession(signedIn.session.id);
  context.log.info({ userId: signedIn.user.id, everywhere }, 'signed out');
  throw redirect('/login?signedOut=1', { headers: { 'Set-Cookie': cookie } });
}
