// Where to go after a form that came back from somewhere (sign-in, the language switch): the
// one check every redirect target taken from a request goes through.
//
// A browser does not parse a Location header as written: it drops leading and trailing
// control characters and spaces, deletes tabs and line breaks anywhere, reads a backslash as a
// slash and resolves `.` and `..` segments. So a target is accepted only if it is a path of
// this site (not `//host`, not `/\host`, no scheme), contains none of the characters browsers
// rewrite, carries no encoded slash in its path (a proxy that decodes once would see `//`), and,
// parsed by the WHATWG URL parser browsers use, stays on this origin. What is returned is the
// parser's own serialisation, so the browser reads exactly what was checked.
const BASE = 'https://delovod.invalid';
const MAX_LENGTH = 2048;
const REWRITTEN = /[\u0000-\u0020\u007f\\]/;
const ENCODED_SLASH = /%(2f|5c)/i;

/** A same-site path for `to`, or `fallback` when `to` is anything else. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/tenants'): string {
  if (typeof to !== 'string' || to.length > MAX_LENGTH) return fallback;
  if (!to.startsWith('/') || to[1] === '/' || to[1] === '\\' || REWRITTEN.test(to)) return fallback;
  if (ENCODED_SLASH.test(to.split(/[?#]/, 1)[0])) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  // `/a/..//host` resolves to the path `//host`, which would leave the site when sent back.
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}
