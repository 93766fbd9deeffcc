// The audit chain's hash without the general-purpose canonicalize(): the same RFC 8785 text
// for the event shapes the seed writes (plain objects, strings, integers, null), built directly.
// The worker compares it with db/audit.ts's chainHash on the first events of every tenant.
import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonical(obj[key])}`);
  }
  return `{${parts.join(',')}}`;
}

export interface SeedEvent {
  tenantId: string;
  seq: number;
  /** ISO-8601 with milliseconds, as toISOString() writes it. */
  occurredAt: string;
  actorUserId: string | null;
  onBehalfOfUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  type: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

const j = JSON.stringify;

export function seedChainHash(prevHash: string, e: SeedEvent): string {
  const text =
    `{"actorUserId":${j(e.actorUserId)},"data":${canonical(e.data)},"ip":${j(e.ip)},"occurredAt":${j(e.occurredAt)},` +
    `"onBehalfOfUserId":${j(e.onBehalfOfUserId)},"seq":${e.seq},"subjectId":${j(e.subjectId)},"subjectType":${j(e.subjectType)},` +
    `"tenantId":${j(e.tenantId)},"type":${j(e.type)},"userAgent":${j(e.userAgent)}}`;
  return createHash('sha256').update(prevHash).update(text).digest('hex');
}
