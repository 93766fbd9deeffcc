// API client credentials (ADR 014). A token is `dlv_<tenant and client ids>.<secret>`: it names
// its tenant, so the check runs inside that tenant's scope like any other tenant read (no
// cross-tenant lookup exists), and only the SHA-256 of its 256-bit secret is stored, compared in
// constant time. The check also counts the call against the client's per-minute limit, in the
// same statement.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '#db/client';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { apiClients, type ApiScope } from '#db/schema';
import { isUuid } from '../ids';

const TOKEN = /^dlv_([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

export interface ParsedToken {
  tenantId: string;
  clientId: string;
  secret: Buffer;
}

/** The token's parts, or null for anything that is not a well-formed token. */
export function parseToken(token: string): ParsedToken | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const ids = Buffer.from(m[1], 'base64url');
  const secret = Buffer.from(m[2], 'base64url');
  if (ids.length !== 32 || secret.length !== 32) return null;
  const tenantId = uuidOf(ids.subarray(0, 16));
  const clientId = uuidOf(ids.subarray(16));
  return isUuid(tenantId) && isUuid(clientId) ? { tenantId, clientId, secret } : null;
}

/** A new client's token and the hash that is stored of it. */
export function mintToken(tenantId: string, clientId: string): { token: string; secretHash: string } {
  const secret = randomBytes(32);
  const ids = Buffer.concat([uuidBytes(tenantId), uuidBytes(clientId)]);
  return { token: `dlv_${ids.toString('base64url')}.${secret.toString('base64url')}`, secretHash: sha256(secret).toString('hex') };
}

export interface CreateClientInput {
  tenantId: string;
  name: string;
  scopes: ApiScope[];
  membershipId: string;
  expiresAt: Date | null;
  rateLimitPerMinute: number;
  createdById: string;
}

/** Creates the client in the caller's transaction; the token is returned once and never stored. */
export async function createApiClient(tx: Tx, input: CreateClientInput): Promise<{ id: string; token: string }> {
  const id = crypto.randomUUID();
  const { token, secretHash } = mintToken(input.tenantId, id);
  await tx.insert(apiClients).values({ ...input, id, secretHash });
  return { id, token };
}

export interface AuthenticatedClient {
  tenantId: string;
  tenantSlug: string;
  clientId: string;
  name: string;
  scopes: ApiScope[];
  membershipId: string;
  userId: string;
  rate: { limit: number; used: number; resetSeconds: number };
}

export type Authentication = { ok: true; client: AuthenticatedClient } | { ok: false; reason: 'malformed' | 'unknown' };

interface ClientRow {
  id: string;
  name: string;
  scopes: ApiScope[];
  membership_id: string;
  secret_hash: string;
  rate_limit_per_minute: number;
  rate_count: number;
  reset_seconds: number;
  user_id: string | null;
  slug: string | null;
}

/**
 * Checks a bearer token: the client exists in the tenant the token names, its secret matches,
 * it is neither revoked nor expired, its tenant is active and the member it acts as still is.
 * A valid call is counted in the client's current one-minute window (committed even if the call
 * then fails); anything else changes nothing.
 */
export async function authenticate(db: Database, token: string): Promise<Authentication> {
  const parsed = parseToken(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  class Refused extends Error {}
  try {
    return await withTenantOn(db, { tenantId: parsed.tenantId }, async (tx) => {
      const [row] = rowsOf<ClientRow>(
        await tx.execute(sql`
          update api_clients c set
            rate_count = case when c.rate_window = date_trunc('minute', now()) then c.rate_count + 1 else 1 end,
            rate_window = date_trunc('minute', now()),
            last_used_at = now()
          from memberships m, tenants t
          where c.tenant_id = ${parsed.tenantId} and c.id = ${parsed.clientId}
            and m.tenant_id = c.tenant_id and m.id = c.membership_id and m.active
            and t.id = c.tenant_id and t.status = 'active'
            and c.revoked_at is null and (c.expires_at is null or c.expires_at > now())
          returning c.id, c.name, c.scopes, c.membership_id, c.secret_hash, c.rate_limit_per_minute, c.rate_count,
            ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now()))::int as reset_seconds,
            m.user_id, t.slug`),
      );
      if (!row) throw new Refused();
      const stored = Buffer.from(row.secret_hash, 'hex');
      const given = sha256(parsed.secret);
      if (stored.length !== given.length || !timingSafeEqual(stored, given)) throw new Refused();
      if (!row.user_id || !row.slug) throw new Refused();
      return {
        ok: true as const,
        client: {
          tenantId: parsed.tenantId,
          tenantSlug: row.slug,
          clientId: row.id,
          name: row.name,
          scopes: row.scopes,
          membershipId: row.membership_id,
          userId: row.user_id,
          rate: { limit: row.rate_limit_per_minute, used: row.rate_count, resetSeconds: Math.max(1, row.reset_seconds) },
        },
      };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: 'unknown' };
    throw error;
  }
}
