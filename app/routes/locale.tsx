import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { users } from '#db/schema';
import { safeRedirect } from '../auth/redirect';
import { db } from '../db.server';
import { isSecureOrigin } from '../env.server';
import { localeCookie } from '../i18n/locale.server';
import { isLocale } from '../i18n/resources';

export async function loader() {
  throw redirect('/');
}

/** Remembers the language on this device and, when signed in, on the account. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get('locale');
  const back = safeRedirect(form.get('redirectTo'), '/');
  if (!isLocale(locale)) throw redirect(back);
  const user = context.auth.signedIn?.user;
  if (user && user.locale !== locale) await db().update(users).set({ locale }).where(eq(users.id, user.id));
  throw redirect(back, { headers: { 'Set-Cookie': localeCookie(locale, isSecureOrigin()) } });
}
