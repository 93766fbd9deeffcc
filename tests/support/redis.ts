// Redis servers a test starts and kills itself: redis-server processes on free ports, without
// persistence (as a Redis that restarts empty), a 3-master Redis Cluster made with
// `redis-cli --cluster create`, and a Sentinel group (a master, its replica and two sentinels).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);

export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL): everything in it is gone. */
  kill(): Promise<void>;
  /** A new, empty server on the same port (after kill). */
  start(): Promise<void>;
  /** kill, then start. */
  restart(): Promise<void>;
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startServer(port: number, dir: string, extra: string[] = []): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction', ...extra], {
    stdio: 'ignore',
  });
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'delovod-redis-'));
  let child = startServer(port, dir);
  await waitForPing(port);
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async start() {
      child = startServer(port, dir);
      await waitForPing(port);
    },
    async restart() {
      await kill();
      child = startServer(port, dir);
      await waitForPing(port);
    },
    cli: async (...args) => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim(),
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCluster {
  ports: number[];
  /** REDIS_CLUSTER_NODES. */
  nodes: string;
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Three masters, no replicas, all 16384 slots assigned. */
export async function startCluster(): Promise<TestCluster> {
  // Three different ports (freePort takes them in turn); each node's cluster bus listens on its
  // port + 10000, outside every test process's block.
  const ports = [await freePort(), await freePort(), await freePort()];
  const dirs = ports.map(() => mkdtempSync(join(tmpdir(), 'delovod-cluster-')));
  const children = ports.map((port, i) => startServer(port, dirs[i], ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000']));
  const stop = async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((p) => waitForPing(p)));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    // Every node agrees the cluster is up.
    const end = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(ports.map(async (p) => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout));
      if (states.every((s) => s.includes('cluster_state:ok'))) break;
      if (Date.now() > end) throw new Error('the test cluster did not come up');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports,
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    cli: async (port, ...args) => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim(),
    stop,
  };
}

/**
 * Moves one hash slot, with its keys, from the node that holds it to another, as
 * `redis-cli --cluster reshard` does: IMPORTING/MIGRATING, MIGRATE the keys, then SETSLOT NODE.
 */
export async function migrateSlot(cluster: TestCluster, slot: number, toPort: number): Promise<number> {
  const idOf = async (port: number) => cluster.cli(port, 'cluster', 'myid');
  const owner = await ownerOf(cluster, slot);
  if (owner === toPort) throw new Error('the slot is already there');
  const [fromId, toId] = [await idOf(owner), await idOf(toPort)];
  await cluster.cli(toPort, 'cluster', 'setslot', String(slot), 'importing', fromId);
  await cluster.cli(owner, 'cluster', 'setslot', String(slot), 'migrating', toId);
  let moved = 0;
  for (;;) {
    const keys = (await cluster.cli(owner, 'cluster', 'getkeysinslot', String(slot), '100')).split('\n').filter(Boolean);
    if (!keys.length) break;
    await cluster.cli(owner, 'migrate', '127.0.0.1', String(toPort), '', '0', '5000', 'replace', 'keys', ...keys);
    moved += keys.length;
  }
  for (const port of cluster.ports) await cluster.cli(port, 'cluster', 'setslot', String(slot), 'node', toId);
  return moved;
}

/** The port of the master that holds `slot`, from CLUSTER NODES. */
export async function ownerOf(cluster: TestCluster, slot: number): Promise<number> {
  for (const line of (await cluster.cli(cluster.ports[0], 'cluster', 'nodes')).split('\n')) {
    const [, address, flags, , , , , , ...ranges] = line.split(' ');
    if (!flags?.includes('master')) continue;
    for (const range of ranges) {
      if (range.startsWith('[')) continue; // a slot being moved
      const [from, to = from] = range.split('-').map(Number);
      if (slot >= from && slot <= to) return Number(address.split('@')[0].split(':').pop());
    }
  }
  throw new Error(`no node holds slot ${slot}`);
}

export interface TestSentinelGroup {
  /** The group's name, as REDIS_SENTINEL_NAME. */
  name: string;
  /** REDIS_SENTINELS. */
  sentinels: string;
  /** Ports of the two Redis servers: the first starts as master, the second as its replica. */
  ports: number[];
  /** The port of the master the sentinels name now. */
  masterPort(): Promise<number>;
  /** `SENTINEL FAILOVER`: promotes the replica, and waits until the sentinels name it and it accepts writes. */
  failover(): Promise<number>;
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A Sentinel group: a master, its replica, and two sentinels watching them (redis-server in
 * sentinel mode, with a config file of its own in a temporary folder, which a sentinel
 * rewrites as it learns the group).
 */
export async function startSentinelGroup(name = 'delovod-test'): Promise<TestSentinelGroup> {
  const ports: number[] = [];
  while (ports.length < 4) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const [masterPort, replicaPort, ...sentinelPorts] = ports;
  const dir = mkdtempSync(join(tmpdir(), 'delovod-sentinel-'));
  // The master sends its data to a replica at once (by default it waits 5 s for others to join),
  // each server in a folder of its own.
  const [masterDir, replicaDir] = ['master', 'replica'].map((d) => join(dir, d));
  for (const d of [masterDir, replicaDir]) mkdirSync(d);
  const children = [
    startServer(masterPort, masterDir, ['--repl-diskless-sync-delay', '0']),
    startServer(replicaPort, replicaDir, ['--repl-diskless-sync-delay', '0', '--replicaof', '127.0.0.1', String(masterPort)]),
  ];
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  const stop = async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  };
  const masterOf = async () => Number((await cli(sentinelPorts[0], 'sentinel', 'get-master-addr-by-name', name)).split('\n')[1]);
  try {
    await Promise.all([masterPort, replicaPort].map((p) => waitForPing(p)));
    for (const port of sentinelPorts) {
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`, `sentinel down-after-milliseconds ${name} 2000`, `sentinel failover-timeout ${name} 10000`, ''].join('\n'),
      );
      children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    }
    await Promise.all(sentinelPorts.map((p) => waitForPing(p)));
    // The replica holds the master's data, and both sentinels know it, before anything asks them
    // to fail over to it: promoting a replica that has not synchronised yet loses the master's
    // data, which is the operator's mistake, not what the tests are about.
    const end = Date.now() + 20_000;
    for (;;) {
      const [synced, ...known] = await Promise.all([
        cli(replicaPort, 'info', 'replication').then((info) => /master_link_status:up/.test(info)),
        ...sentinelPorts.map(async (p) => (await cli(p, 'sentinel', 'replicas', name)).includes(String(replicaPort))),
      ]);
      if (synced && known.every(Boolean)) break;
      if (Date.now() > end) throw new Error(synced ? 'the sentinels did not find the replica' : 'the replica did not synchronise with the master');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    ports: [masterPort, replicaPort],
    masterPort: masterOf,
    async failover() {
      const before = await masterOf();
      await cli(sentinelPorts[0], 'sentinel', 'failover', name);
      const end = Date.now() + 30_000;
      for (;;) {
        const now = await masterOf();
        if (now !== before && (await cli(now, 'role')).startsWith('master')) return now;
        if (Date.now() > end) throw new Error('the failover did not complete');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    cli,
    stop,
  };
}
