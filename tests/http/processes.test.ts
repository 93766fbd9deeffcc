// WEB_CONCURRENCY: several web processes share the port, one that dies is replaced, SIGTERM
// stops them all; the embedded database refuses it. SIGTERM finishes what is in flight and stops
// without waiting on clients' keep-alive connections.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type RunningApp } from '#tests/support/server';
import { until } from '#tests/support/smtp';

const root = fileURLToPath(new URL('../../', import.meta.url));
let app: RunningApp;

const childrenOf = (pid: number): number[] => {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
};
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

beforeAll(async () => {
  app = await startApp({ WEB_CONCURRENCY: '2' });
});
afterAll(() => app?.stop());

it.runIf(process.platform === 'linux')('serves from two processes, replaces one that dies, and stops them all on SIGTERM', async () => {
  const workers = await until('two web processes', () => (childrenOf(app.pid).length === 2 ? childrenOf(app.pid) : undefined));
  const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${app.url}/login`).then((r) => r.status)));
  expect(answers.every((s) => s === 200)).toBe(true);

  process.kill(workers[0], 'SIGKILL');
  const replaced = await until('a new web process', () => {
    const now = childrenOf(app.pid);
    return now.length === 2 && !now.includes(workers[0]) ? now : undefined;
  });
  expect(replaced).toContain(workers[1]);
  expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

  process.kill(app.pid, 'SIGTERM');
  await until('every process stopped', () => (!alive(app.pid) && replaced.every((p) => !alive(p)) ? true : undefined));
});

it('refuses more than one process on the embedded database, saying why', async () => {
  const child = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', WEB_CONCURRENCY: '2', PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  expect(code).toBe(1);
  expect(output).toContain('WEB_CONCURRENCY above 1 needs DATABASE_URL');
});

it('names the address the processes really listen on when PORT=0 and PUBLIC_URL is unset', async () => {
  const child = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: app.database.appUrl, DATABASE_POOL_SIZE: '2', WEB_CONCURRENCY: '2', PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: '', MFA_FOR_STAFF: 'optional', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  try {
    const url = await until('the start-up banner', () => /Delovod listening on (http:\/\/[^"\s]+)/.exec(output)?.[1]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
});


it('on SIGTERM finishes the request in flight and stops, without waiting for the client to let go of its connection', async () => {
  const child = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: app.database.appUrl, DATABASE_POOL_SIZE: '2', PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: '', MFA_FOR_STAFF: 'optional', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  let socket: Socket | undefined;
  try {
    const url = new URL(await until('the start-up banner', () => /Delovod listening on (http:\/\/[^"\s]+)/.exec(output)?.[1]));
    // A keep-alive request whose body is still coming when SIGTERM arrives: in flight.
    const body = 'email=nobody%40example.test&password=wrong-password';
    const conn = connect(Number(url.port), url.hostname);
    socket = conn;
    await new Promise((r) => conn.once('connect', r));
    let answer = '';
    conn.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    const closedByServer = new Promise((r) => conn.once('close', r));
    conn.write(`POST /login HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${url.origin}\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await until('the shutdown under way', () => output.includes('shutting down'));
    conn.write(body.slice(10));
    const sent = Date.now();
    // The answer comes, the server closes the connection the client would have kept, and the process ends well.
    await closedByServer;
    expect(answer).toMatch(/^HTTP\/1\.1 [2-4]\d\d /);
    expect(await exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(2_000);
  } finally {
    socket?.destroy();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
