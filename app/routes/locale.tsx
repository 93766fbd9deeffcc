import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { users } from '#db/schema';
import { safeRedirect } from '../auth/redirect';
import { db } from '../db.server';
import { isSecureOrigin } from '../env.server';
import { localeCookie } from '../i18n/locale.server';
import { locales } from '../i18n/resources';
import { parseForm } from '../framework/form.server';

// The language switch in every page's header: its buttons name a language, the hidden field the page to return to.
const localeSchema = z.object({
  locale: z.enum(locales),
  redirectTo: z.string().max(2000).optional(),
});

export async function loader() {
  throw redirect('/');
}

/** Remembers the language on this device and, when signed in, on the account. */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, localeSchema);
  // A language the switch does not offer changes nothing: back to the page, as it was.
  if (submission.status !== 'success') throw redirect(safeRedirect(submission.payload.redirectTo as string | undefined, '/'));
  const { locale, redirectTo } = submission.value;
  const back = safeRedirect(redirectTo, '/');
  const user = context.auth.signedIn?.user;
  if (user && user.locale !== locale) await db().update(users).set({ locale }).where(eq(users.id, user.id));
  throw redirect(back, { headers: { 'Set-Cookie': localeCookie(locale, isSecureOrigin()) } });
}
