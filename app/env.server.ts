import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { readPkcs12 } from './crypto/read-pkcs12.server';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  // The address people and emails reach the web at. Unset: the address the server listens on
  // (http://localhost:<PORT>, or HOST when it names one), settled once it listens.
  PUBLIC_URL: z.url().optional(),
  // Which peers' X-Forwarded-For/-Host/-Proto headers to believe (docs/reverse-proxy.md): Express's
  // `trust proxy` — `loopback` (a proxy on this machine, the default), `false`, `true`, a number of
  // hops, or a comma-separated list of addresses/subnets. Untrusted peers' forwarded headers are dropped.
  TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/, -]+$/, 'must be true, false, a number of hops or addresses/subnets')
    .default('loopback')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_OWNER_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Web processes sharing the port (node:cluster), each with its own pool; PostgreSQL only.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PGLITE_DIR: z.string().default('.data/pglite'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  // A Redis Cluster instead (seed nodes, host:port,host:port), or a Sentinel group (its
  // sentinels and the master's name); docs/operations-jobs.md. One of the three, or none for
  // jobs in-process (npm run demo).
  REDIS_CLUSTER_NODES: z.string().regex(/^\s*\[?[^,\s]+\]?:\d+(\s*,\s*\[?[^,\s]+\]?:\d+)*\s*$/, 'must be host:port,host:port').optional(),
  REDIS_SENTINELS: z.string().regex(/^\s*\[?[^,\s]+\]?:\d+(\s*,\s*\[?[^,\s]+\]?:\d+)*\s*$/, 'must be host:port,host:port').optional(),
  REDIS_SENTINEL_NAME: z.string().default('delovod'),
  // For the cluster's or the sentinel group's Redis servers (a REDIS_URL carries its own).
  REDIS_PASSWORD: z.string().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_TLS: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  // The worker's health and metrics (GET /livez, /readyz, /metrics) on this port; unset, none.
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // The worker answers 503 on /readyz when the oldest unfinished outbox row is older than this.
  WORKER_BACKLOG_ALERT_SECONDS: z.coerce.number().int().min(10).default(900),
  // A relayed job neither completed nor present in Redis this long after its relay (Redis lost
  // it) is relayed again under the same id (ADR 015).
  OUTBOX_RECONCILE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(60),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  // Where emails go, as .eml files, when SMTP_URL is unset.
  MAIL_DIR: z.string().default('.data/mail'),
  // The development mailbox page (/national/mail) that shows those files. Off unless asked for:
  // they hold invitation links, so a production install that forgot SMTP_URL does not show them.
  DEV_MAILBOX: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  EMAIL_FROM: z.string().default('Delovod <no-reply@delovod.localhost>'),
  // Jobs a worker process runs at once: emails (I/O-bound, and a tenant's emails that run
  // together share their transactions) and the rest (reminder sweeps, reports, upgrades).
  EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(100),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  // Queue key prefix; the braces are a Redis Cluster hash tag that keeps every queue key in one slot.
  QUEUE_PREFIX: z.string().regex(/^\{[A-Za-z0-9_-]+\}$/, 'must be a {hash-tag}').default('{delovod}'),
  // A job whose worker stops answering (killed, hung) is given to another worker this long after
  // its last lock renewal (at most 1.2 × this after the kill; docs/operations-jobs.md).
  WORKER_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  // National-office staff and tenant administrators must use a second factor. 'optional' lets
  // them sign in without one; it is refused on an https PUBLIC_URL, so only a local demo or a
  // test run can have it.
  MFA_FOR_STAFF: z.enum(['required', 'optional']).default('required'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The seal on registered documents' PDFs (docs/sealing.md): a PKCS#12 file with the seal's key
  // and certificate, and its password. Unset: a self-signed test seal, which the PDFs say is one.
  SEAL_P12: z.string().optional(),
  SEAL_P12_PASSWORD: z.string().default(''),
  // An RFC 3161 time-stamp authority: seals then carry its time-stamp (PAdES B-T instead of B-B).
  SEAL_TSA_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  // Webhooks (docs/api.md): '1' lets subscriptions call loopback, private and link-local
  // addresses and plain http:// (a local receiver in tests or a closed network); the first pause
  // before a failed delivery is tried again, doubling with each attempt.
  WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
}).superRefine((e, ctx) => {
  // A seal that cannot be opened stops the process now, not at the first registration.
  if (!e.SEAL_P12) return;
  try {
    readPkcs12(readFileSync(e.SEAL_P12), e.SEAL_P12_PASSWORD);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['SEAL_P12'], message: error instanceof Error ? error.message : String(error) });
  }
});

export type Env = Omit<z.infer<typeof schema>, 'PUBLIC_URL'> & { PUBLIC_URL: string };

let parsed: Env | undefined;
let publicUrlGiven = false;

/** What a browser on this machine types to reach a server listening on `host`:`port`. */
export function listeningUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * Called once the server listens: without PUBLIC_URL, links (emails, the start-up banner)
 * name the port it really got, also when PORT=0 let the system choose.
 */
export function settlePublicUrl(port: number): string {
  const e = env();
  if (!publicUrlGiven) e.PUBLIC_URL = listeningUrl(e.HOST, port);
  return e.PUBLIC_URL;
}

/** Parses the environment once; a bad value stops the process with the variable's name. */
export function env(): Env {
  if (parsed) return parsed;
  // An empty variable means "not set", as in most deployment tools.
  const given = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    console.error(`Invalid environment:\n${lines.join('\n')}`);
    process.exit(1);
  }
  publicUrlGiven = result.data.PUBLIC_URL !== undefined;
  const e: Env = { ...result.data, PUBLIC_URL: result.data.PUBLIC_URL ?? listeningUrl(result.data.HOST, result.data.PORT) };
  if (e.MFA_FOR_STAFF === 'optional' && new URL(e.PUBLIC_URL).protocol === 'https:') {
    console.error('Invalid environment:\n  MFA_FOR_STAFF: may be optional only on a plain-http PUBLIC_URL (a local demo or test)');
    process.exit(1);
  }
  parsed = e;
  return parsed;
}

export function isSecureOrigin(): boolean {
  return new URL(env().PUBLIC_URL).protocol === 'https:';
}
