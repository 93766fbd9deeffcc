// HTTP load with autocannon's programmatic API. Latencies are collected per response (autocannon's
// own histogram has no p95) and only responses with the expected status count as served.
import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  /** Seconds the measured run took. */
  seconds: number;
  /** Responses with the expected status. */
  requests: number;
  /** Responses with another status, socket errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /**
   * Seconds the server (and PostgreSQL) went on working after the run ended, on requests the
   * run had sent and then abandoned; the next run starts only after.
   */
  drainSeconds?: number;
  /**
   * 'requests' when the warm-up completed fewer responses than there are connections: the run
   * then sends two requests per connection and waits for every answer, however long, instead
   * of cutting a too-short sample off at --duration.
   */
  mode?: 'duration' | 'requests';
  /**
   * Answers that closed their connection (`Connection: close`). autocannon does not honour it:
   * it sends its next request on the closing connection, and when that connection ends it
   * reconnects but keeps the unanswered request first in its queue, so every later answer on
   * that client is timed from an older request (latencies grow with the run, seconds in 10 s)
   * and its writes into the closed socket count as errors. Latencies of a run with such
   * answers are not what a client sees; the table says so.
   */
  closedConnections?: number;
  /** Every answered request's latency, sorted (only when asked for, to combine runs). */
  latencies?: number[];
}

export interface NextRequest {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** Total requests instead of a duration (action runs whose pool is finite). */
  amount?: number;
  headers?: Record<string, string>;
  /** Each request in turn; a fixed GET of `url` when absent. */
  next?: () => NextRequest;
  expect: number;
  /** Keep the latencies in the result. */
  keep?: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let closedConnections = 0;
  const started = performance.now();
  let finish: (error: Error | null, result: autocannon.Result) => void = () => {};
  // A run of `amount` requests is over at its last response: autocannon itself would end it on
  // its next one-second tick, a second per run that the smoke test (--quick) spends dozens of.
  // Every request answered means no transport error: those never answer.
  let answered: () => void = () => {};
  const done = new Promise<{ errors: number; timeouts: number }>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
    answered = () => resolve({ errors: 0, timeouts: 0 });
  });
  const options: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    amount: spec.amount,
    headers: spec.headers,
    timeout: 180,
    setupClient: (client) => {
      // What autocannon passes (its types say otherwise) is its parser's: raw headers as name, value, name, value…
      client.on('headers', (head: unknown) => {
        const raw = (head as { headers?: unknown }).headers;
        if (!Array.isArray(raw)) return;
        for (let i = 0; i < raw.length; i += 2) if (/^connection$/i.test(String(raw[i])) && /\bclose\b/i.test(String(raw[i + 1]))) closedConnections++;
      });
    },
    requests: spec.next
      ? [
          {
            setupRequest: (request) => {
              const n = spec.next!();
              return { ...request, path: n.path, method: (n.method ?? 'GET') as 'GET', body: n.body, headers: { ...request.headers, ...n.headers } };
            },
          },
        ]
      : undefined,
  };
  const instance = autocannon(options, (error, result) => finish(error, result));
  // autocannon ends a run of `amount` requests on its next one-second tick, not at the last
  // response: such a run is timed to its last response.
  let lastResponseAt = started;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastResponseAt = performance.now();
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode === spec.expect) latencies.push(responseTime);
    else errors++;
    if (spec.amount !== undefined && latencies.length + errors >= spec.amount) {
      instance.stop();
      answered();
    }
  });
  const result = await done;
  const seconds = ((spec.amount === undefined ? performance.now() : lastResponseAt) - started) / 1000;
  errors += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    connections: spec.connections,
    seconds: round(seconds, 2),
    requests: latencies.length,
    errors,
    statusCodes,
    reqPerSec: round(latencies.length / seconds),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    ...(closedConnections ? { closedConnections } : {}),
    ...(spec.keep ? { latencies } : {}),
  };
}

/** Several runs of one thing as one: requests over the seconds they took, percentiles of all. */
export function combine(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies ?? []).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    connections: runs[0].connections,
    seconds: round(seconds, 2),
    requests: latencies.length,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    statusCodes,
    reqPerSec: round(latencies.length / seconds),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    closedConnections: runs.reduce((sum, r) => sum + (r.closedConnections ?? 0), 0),
    drainSeconds: Math.max(...runs.map((r) => r.drainSeconds ?? 0)),
    mode: runs.some((r) => r.mode === 'requests') ? 'requests' : 'duration',
  };
}

/** At most this many connections and requests per run with --quick. */
export const QUICK = 8;

/**
 * Unmeasured load first (JIT, pools, caches), then the measured run. `quick` (a smoke test that
 * proves each run works, not how fast) sends a few requests on a few connections instead of
 * running for a time, so that even a slow, busy machine completes every run, and soon.
 */
export async function measure(spec: LoadSpec, warmupSeconds: number, quick = false, settle: () => Promise<number> = async () => 0): Promise<LoadResult> {
  // The smoke test's figures mean nothing, so it does not wait for the server to go quiet either.
  if (quick) return { ...(await load({ ...spec, connections: Math.min(QUICK, spec.connections), amount: QUICK })), drainSeconds: 0 };
  await settle();
  let slow = false;
  if (warmupSeconds > 0) {
    slow = (await load({ ...spec, duration: warmupSeconds })).requests < spec.connections;
    await settle();
  }
  const result = await load(slow ? { ...spec, amount: 2 * spec.connections } : spec);
  return { ...result, mode: slow ? 'requests' : 'duration', drainSeconds: await settle() };
}

/** What a browser sends with a page request (compression included: users get gzip). */
export const browserHeaders = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'sr-RS,sr;q=0.9,en;q=0.8',
  'sec-fetch-site': 'same-origin',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};
