// The options for adding a passkey (WebAuthn), asked for by the two-step verification page's
// script once the person has confirmed their password; the new passkey itself is then posted to
// that page (account.mfa.tsx), which checks it against the challenge issued here.
import type { ActionFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { users } from '#db/schema';
import { confirmPasswordSchema } from '../auth/account-forms';
import { clientOf } from '../auth/device-cookie.server';
import { requireUser } from '../auth/guards.server';
import { factorsOf } from '../auth/mfa.server';
import { MAX_PASSKEYS, passkeysOf, registrationOptions } from '../auth/passkeys.server';
import { verifyPassword } from '../auth/password.server';
import { throttledAnswer, throttledCheck } from '../auth/throttle.server';
import { db } from '../db.server';
import { parseForm } from '../framework/form.server';

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireUser(context, request);
  const submission = await parseForm(request, confirmPasswordSchema);
  if (submission.status !== 'success') return Response.json({ field: 'password', error: 'form.required' }, { status: 400 });
  // Passkeys come with TOTP, never instead of it: the app and the recovery codes stay the way in without JavaScript.
  if (!(await factorsOf(user.id)).totp) return Response.json({ error: 'passkeys.failed' }, { status: 409 });
  if ((await passkeysOf(user.id)).length >= MAX_PASSKEYS) return Response.json({ error: 'passkeys.tooMany' }, { status: 409 });
  const checked = await throttledCheck(user.email, await clientOf(request, context), 'password', async () => {
    const [row] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    return verifyPassword(row?.hash, submission.value.password);
  });
  if (checked.status === 'throttled') {
    const { formError, init } = throttledAnswer(checked.waitMs);
    return Response.json({ error: formError }, init);
  }
  if (checked.status === 'failed') return Response.json({ field: 'password', error: 'accounts.mfa.wrongPassword' }, { status: 401 });
  return Response.json({ options: await registrationOptions(user.id, user.email) });
}
