import type { Logger } from './logger.server';
import type { Locale } from './i18n/resources';
import type { SessionCheck } from './auth/session.server';

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  log: Logger;
  auth: SessionCheck;
  locale: Locale;
  /** Per-request memo of tenant access checks, shared by the loaders of one request. */
  memo: Map<string, unknown>;
  /** This response's Content-Security-Policy nonce, for the inline scripts Remix renders. */
  cspNonce: string;
  /** Names the tenant in the request log line. */
  setTenant(slug: string): void;
}

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
