// Cross-site request refusal for every non-GET request (DESIGN §7). Browsers send Origin on
// every cross-origin POST and Sec-Fetch-Site on every request; either one proves the source.
// Requests with neither come from non-browser clients, which carry no ambient cookies to abuse.
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isCrossSite(method: string, headers: { origin?: string | null; secFetchSite?: string | null; host?: string | null }, publicUrl: string): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  if (headers.secFetchSite && headers.secFetchSite !== 'same-origin' && headers.secFetchSite !== 'none') return true;
  if (headers.origin) {
    if (headers.origin === 'null') return true;
    const allowed = new Set([new URL(publicUrl).origin]);
    if (headers.host) {
      allowed.add(`http://${headers.host}`);
      allowed.add(`https://${headers.host}`);
    }
    return !allowed.has(headers.origin);
  }
  return false;
}
