// The security headers of every response (helmet), the per-response CSP nonce that Remix's
// scripts carry, and no caching of anything a signed-in user sees.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import onHeaders from 'on-headers';

/**
 * The dev mailbox shows an email's own HTML (in a sandboxed frame: no script), which styles with
 * attributes. Links to it load the page whole, so its document has this policy.
 */
const MAIL_PAGE = /^\/national\/mail\/[^/]+$/;

// Every feature a government back office never needs, refused for this page and every frame in
// it; passkeys (WebAuthn) are allowed to this site's own pages only, never to a frame.
const PERMISSIONS_POLICY = [
  ...[
    'accelerometer', 'autoplay', 'bluetooth', 'camera', 'display-capture', 'geolocation', 'gyroscope', 'hid', 'idle-detection',
    'magnetometer', 'microphone', 'midi', 'payment', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
  ].map((feature) => `${feature}=()`),
  'publickey-credentials-create=(self)',
  'publickey-credentials-get=(self)',
].join(', ');

/**
 * A new nonce for each response (128 random bits), then helmet's headers with a strict policy:
 * scripts only from this origin or carrying the nonce, no plugins, no <base>, forms only to this
 * origin, never framed; HSTS (and upgraded requests) only when the site is served over https.
 */
export function securityHeaders({ https }: { https: boolean }): RequestHandler[] {
  const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", nonce],
          styleSrc: ["'self'"],
          styleSrcAttr: [(req) => (MAIL_PAGE.test((req as Request).path) ? "'unsafe-inline'" : "'none'")],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    }),
  ];
}

/**
 * `Cache-Control: no-store` on every response to a signed-in request and on every response
 * that starts or ends a session, whatever the route said: no shared or browser cache keeps a
 * page, a download or a cookie meant for one person. Decided as the headers go out, so it holds
 * for pages, data requests and resource routes alike.
 */
export function noStoreForSessions(res: Response, signedIn: boolean, sessionCookie: string): void {
  onHeaders(res, () => {
    const cookies = [res.getHeader('set-cookie') ?? []].flat().map(String);
    if (signedIn || cookies.some((c) => c.startsWith(`${sessionCookie}=`))) res.setHeader('Cache-Control', 'no-store');
  });
}
