// The options of a passkey sign-in (WebAuthn), asked for by the verification page's script
// between the password and the session: only with this browser's open sign-in challenge.
import type { ActionFunctionArgs } from '@remix-run/node';
import { authenticationOptions } from '../auth/passkeys.server';
import { openChallenge } from '../auth/sign-in.server';

export async function action({ request }: ActionFunctionArgs) {
  const challenge = await openChallenge(request, 'verify');
  if (!challenge) return Response.json({ error: 'login.expired' }, { status: 401 });
  const options = await authenticationOptions(challenge.userId);
  if (!options) return Response.json({ error: 'accounts.verify.passkeyFailed' }, { status: 404 });
  return Response.json({ options });
}
