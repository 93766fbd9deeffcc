// Secrets in links (signup resume, staff invitations): 256 random bits, kept only as sha256.
import { createHash, randomBytes } from 'node:crypto';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const newToken = () => randomBytes(32).toString('base64url');

/** How many links of one signup or invitation stay valid at once (the newest ones). */
export const LIVE_TOKENS = 5;

const uuidHex = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');

/**
 * An invitation token names its tenant, so the link can be resolved under that tenant's row
 * level security: base64url(tenant uuid ‖ 32 random bytes).
 */
export function newTenantToken(tenantId: string): string {
  return Buffer.concat([uuidHex(tenantId), randomBytes(32)]).toString('base64url');
}

export function tenantOfToken(token: string): string | null {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return null;
  const hex = Buffer.from(token, 'base64url').subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
