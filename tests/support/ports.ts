// Ports for the servers the tests start (the app, Redis, a worker's health server, a stranger's
// page). A port the kernel picks (listen on 0) comes from its ephemeral range, which it also
// gives outgoing connections and hands out again as soon as the probe closes it: two test
// processes could be given one port, or a server restarted on its port find it taken. Both were
// seen: a test then talks to another file's server, with another database. So each test process
// takes its ports in turn from a block of its own, below Linux's ephemeral range (32768–60999),
// skipping any that something is listening on. The blocks fill 10100–19699: above 10080, the last
// port Chromium refuses to connect to, and a Redis Cluster node's bus (its port + 10000) falls
// where no block is.
import { createServer } from 'node:net';

const FIRST = 10_100;
const BLOCK = 480;
/** Blocks for four workers (VITEST_POOL_ID) of each of five runs on one machine at once. */
const WORKERS = 4;
const RUNS = 5;

let next = 0;

function block(): number {
  const worker = (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % WORKERS;
  // The runner's process: two runs at once on one machine take different blocks (most of the time).
  return FIRST + ((process.ppid % RUNS) * WORKERS + worker) * BLOCK;
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port of this test process's block that nothing listens on now. */
export async function freePort(): Promise<number> {
  const start = block();
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = start + (next++ % BLOCK);
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${start}–${start + BLOCK - 1}`);
}
