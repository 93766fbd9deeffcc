// The wizard's cookie holds the draft's token (the database keeps only its hash).
import { createCookie } from '@remix-run/node';
import { isSecureOrigin } from '#app/env.server';
import { DRAFT_DAYS } from './signup';

let cookie: ReturnType<typeof createCookie> | undefined;

export function signupCookie() {
  return (cookie ??= createCookie(isSecureOrigin() ? '__Host-delovod_signup' : 'delovod_signup', {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureOrigin(),
    path: '/',
    maxAge: DRAFT_DAYS * 86_400,
  }));
}

export async function signupToken(request: Request): Promise<string | null> {
  const value = await signupCookie().parse(request.headers.get('cookie'));
  return typeof value === 'string' ? value : null;
}
