// Where Redis is, and a client for each use (docs/operations-jobs.md): a single server
// (REDIS_URL), a Redis Cluster (REDIS_CLUSTER_NODES, seed nodes) or a Sentinel group
// (REDIS_SENTINELS and REDIS_SENTINEL_NAME). BullMQ runs on whichever client this returns, the
// same code for all three. Every client has an error handler that logs through pino: an outage
// is a line of structured log, never an unhandled 'error' event with a raw stack trace.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from '#app/logger.server';

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[]; password?: string; tls?: boolean }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; password?: string; sentinelPassword?: string; tls?: boolean };

export type RedisClient = Redis | Cluster;

/**
 * - producer: the relay and the queue page: a Redis that is away fails a command at once, so an
 *   outbox row simply waits for the next relay;
 * - worker: waits for Redis as long as it takes (BullMQ's blocking commands need no retry limit);
 * - probe: a health check's one question: no offline queue, no reconnecting, a short connect.
 */
export type RedisRole = 'producer' | 'worker' | 'probe';

/** `host:port,host:port` (IPv6 in brackets). */
export function parseNodes(list: string): RedisNode[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
      if (!m) throw new Error(`not a host:port: ${JSON.stringify(s)}`);
      return { host: m[1], port: Number(m[2]) };
    });
}

export interface RedisEnv {
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: string;
  REDIS_SENTINELS?: string;
  REDIS_SENTINEL_NAME?: string;
  REDIS_PASSWORD?: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_TLS?: boolean;
}

/** The configured Redis, or null when jobs run in-process (none configured). */
export function redisTargetOf(e: RedisEnv): RedisTarget | null {
  const auth = { ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}), ...(e.REDIS_TLS ? { tls: true } : {}) };
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: parseNodes(e.REDIS_CLUSTER_NODES), ...auth };
  if (e.REDIS_SENTINELS) {
    return {
      kind: 'sentinel',
      sentinels: parseNodes(e.REDIS_SENTINELS),
      name: e.REDIS_SENTINEL_NAME ?? 'delovod',
      ...auth,
      ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  if (e.REDIS_URL) return { kind: 'single', url: e.REDIS_URL };
  return null;
}

/** A URL is a single server. */
export const targetOf = (target: RedisTarget | string): RedisTarget => (typeof target === 'string' ? { kind: 'single', url: target } : target);

/** Where it is, for logs (no password). */
export function describeTarget(target: RedisTarget): string {
  if (target.kind === 'single') {
    const u = new URL(target.url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  }
  const nodes = (target.kind === 'cluster' ? target.nodes : target.sentinels).map((n) => `${n.host}:${n.port}`).join(',');
  return target.kind === 'cluster' ? `cluster ${nodes}` : `sentinel ${target.name}@${nodes}`;
}

function roleOptions(role: RedisRole): RedisOptions {
  if (role === 'worker') return { maxRetriesPerRequest: null };
  if (role === 'producer') return { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
  return { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 800, retryStrategy: () => null };
}

/** A client for `role`; its errors go to `log` (at most one line a second per client). */
export function redisClient(target: RedisTarget | string, role: RedisRole, log?: Logger): RedisClient {
  const t = targetOf(target);
  const options = roleOptions(role);
  let client: RedisClient;
  if (t.kind === 'single') {
    client = new Redis(t.url, options);
  } else if (t.kind === 'sentinel') {
    client = new Redis({
      ...options,
      sentinels: t.sentinels,
      name: t.name,
      // Reconnect as soon as the sentinels announce a new master (+switch-master), not when the
      // old one is demoted seconds later: what a client wrote to the old master in between is lost
      // when it copies the new one. A probe lives for one question and needs no subscription.
      ...(role === 'probe' ? {} : { failoverDetector: true }),
      ...(t.password ? { password: t.password } : {}),
      ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
      ...(t.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    });
  } else {
    const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
    const clusterOptions: ClusterOptions = {
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect ? { lazyConnect } : {}),
      ...(retryStrategy ? { clusterRetryStrategy: () => null } : {}),
      redisOptions: { ...perNode, ...(t.password ? { password: t.password } : {}), ...(t.tls ? { tls: {} } : {}) },
    };
    client = new Cluster(t.nodes, clusterOptions);
  }
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    if (!log || role === 'probe') return; // a probe's failure is its caller's answer
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    log.warn({ redis: describeTarget(t), role, error: err.message }, 'Redis connection error');
  });
  return client;
}

/** `operation`, or a rejection after `ms`. */
export async function within<T>(operation: Promise<T>, ms: number, what = 'Redis'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The nodes a command reaches: a cluster's masters, else the one server. */
export function mastersOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/**
 * What Redis must be for jobs to survive it (docs/operations-jobs.md): appendonly yes (a restart
 * keeps the queues) and maxmemory-policy noeviction (memory pressure refuses writes instead of
 * dropping jobs). Returns the warnings for the operator; empty when all is well.
 */
export async function redisWarnings(target: RedisTarget | string): Promise<string[]> {
  const probe = redisClient(target, 'probe');
  const warnings: string[] = [];
  try {
    await within(probe.connect(), 3000);
    for (const node of mastersOf(probe)) {
      const where = `${node.options.host}:${node.options.port}`;
      try {
        const [, policy] = (await within(node.config('GET', 'maxmemory-policy'), 2000)) as string[];
        const [, aof] = (await within(node.config('GET', 'appendonly'), 2000)) as string[];
        if (policy !== 'noeviction') warnings.push(`Redis ${where}: maxmemory-policy is ${policy}, not noeviction: under memory pressure queued jobs are evicted (the outbox reconciler relays them again, late); set maxmemory-policy noeviction`);
        if (aof !== 'yes') warnings.push(`Redis ${where}: appendonly is ${aof}: a restart loses every queued job (the reconciler relays them again after a delay); set appendonly yes`);
      } catch (error) {
        warnings.push(`Redis ${where}: could not read its configuration (${error instanceof Error ? error.message : String(error)}; CONFIG disabled?): it must have appendonly yes and maxmemory-policy noeviction`);
      }
    }
  } catch (error) {
    warnings.push(`Redis ${describeTarget(targetOf(target))} did not answer at start (${error instanceof Error ? error.message : String(error)}); the worker waits for it`);
  } finally {
    probe.disconnect();
  }
  return warnings;
}
