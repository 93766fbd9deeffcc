import { defaultLocale, isLocale, type Locale } from './resources';

export const LOCALE_COOKIE = 'delovod_lng';

function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The language chosen on this device, else the account's choice, else Serbian Cyrillic. */
export function resolveLocale(cookieHeader: string | null | undefined, userLocale?: string | null): Locale {
  const chosen = cookieValue(cookieHeader, LOCALE_COOKIE);
  if (isLocale(chosen)) return chosen;
  if (isLocale(userLocale)) return userLocale;
  return defaultLocale;
}

export function localeCookie(locale: Locale, secure: boolean): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? '; Secure' : ''}`;
}
