// The device cookie (OWASP "Slow down online guessing attacks with device cookies"): a random
// token a browser keeps for half a year. After a complete sign-in the account trusts it (its
// sha256, in trusted_sign_ins); failures from a trusted device are counted for that device only.
import { createCookie } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { isSecureOrigin } from '../env.server';

const MAX_AGE_DAYS = 180;

let cookie: ReturnType<typeof createCookie> | undefined;
const deviceCookie = () =>
  (cookie ??= createCookie(isSecureOrigin() ? '__Host-delovod_device' : 'delovod_device', {
    httpOnly: true,
    secure: isSecureOrigin(),
    sameSite: 'lax',
    path: '/',
    maxAge: MAX_AGE_DAYS * 86_400,
  }));

const wellFormed = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);

/** The device token the request carries, if it is one of ours. */
export async function deviceOf(request: Request): Promise<string | null> {
  const value: unknown = await deviceCookie().parse(request.headers.get('cookie'));
  return wellFormed(value) ? value : null;
}

/** The request's device token, or a new one, and the Set-Cookie that (re)sends it. */
export async function ensureDevice(request: Request): Promise<{ device: string; setCookie: string }> {
  const device = (await deviceOf(request)) ?? randomBytes(32).toString('base64url');
  return { device, setCookie: await deviceCookie().serialize(device) };
}

/** The request's client context for throttling: its address and its device cookie. */
export async function clientOf(request: Request, context: { ip: string | null }): Promise<{ ip: string | null; device: string | null }> {
  return { ip: context.ip, device: await deviceOf(request) };
}
