// The bench's load generator says when its latencies are not a client's: autocannon does not
// honour `Connection: close` (scripts/bench/load.ts), so a run whose answers close their
// connection is flagged rather than reported as if it were measured.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { load } from '../scripts/bench/load';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(close: boolean): Promise<string> {
  server = createServer((_req, res) => {
    if (close) res.setHeader('Connection', 'close');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

test('counts the answers that closed their connection', async () => {
  const result = await load({ url: await serve(true), connections: 2, duration: 1, amount: 6, expect: 200 });
  expect(result.closedConnections).toBeGreaterThanOrEqual(1);
});

test('reports none when connections stay open', async () => {
  const result = await load({ url: await serve(false), connections: 2, duration: 1, amount: 6, expect: 200 });
  expect(result.requests).toBe(6);
  expect(result.closedConnections).toBeUndefined();
});
