/** Only same-site paths: `/x` but not `//evil.example` or `/\evil.example`. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/tenants'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}
