// Queue health through the built server against the machine's Redis: counts and failed jobs
// per queue, retrying one job or all of a queue (plain forms), and a page that still answers,
// quickly, when Redis stops answering or refuses connections. The server reaches Redis through
// a proxy the test can silence or close.
import { Worker, type Job } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { closeQueues, openQueues, producerConnection, workerConnection, type Queues } from '#jobs/queues';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';
import { until } from '#tests/support/smtp';

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `{t${randomBytes(5).toString('hex')}}`;
const page = '/national/queues';

let app: RunningApp;
let queues: Queues;
let proxy: RedisProxy;

interface RedisProxy {
  url: string;
  /** 'silent' accepts connections and never answers, as a hung Redis does. */
  mode: 'forward' | 'silent';
  close(): Promise<void>;
}

async function startProxy(): Promise<RedisProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const state: { mode: RedisProxy['mode'] } = { mode: 'forward' };
  const server: Server = createServer((client) => {
    track(client);
    if (state.mode === 'silent') return;
    const upstream = connect(Number(REDIS.port || 6379), REDIS.hostname);
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const as = (email: string): Promise<Client> => signedIn(app.url, email);

/** Adds jobs to `queue` and lets a worker fail each of them once, for good (one attempt). */
async function failJobs(queue: 'email' | 'work', jobs: Array<{ name: string; id: string }>, reason: string): Promise<void> {
  const connection = workerConnection(REDIS.toString());
  const worker = new Worker(
    queue,
    async () => {
      throw new Error(reason);
    },
    { connection, prefix },
  );
  await worker.waitUntilReady();
  await queues[queue].addBulk(jobs.map((j) => ({ name: j.name, data: { tenantId: randomUUID() }, opts: { jobId: j.id, attempts: 1 } })));
  await until('jobs failed', async () => (await queues[queue].getFailedCount()) >= jobs.length || undefined);
  await worker.close();
  connection.disconnect();
}

/** The numbers of a queue's row in the counts table: waiting, active, completed, failed, delayed. */
function counts(html: string, queue: string): number[] {
  const row = new RegExp(`<tr><th scope="row">${queue}</th>(.*?)</tr>`, 's').exec(html);
  expect(row, `a counts row for ${queue}`).not.toBeNull();
  return [...row![1].matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

const emailIds = [randomUUID(), randomUUID(), randomUUID()];
const reportId = randomUUID();

beforeAll(async () => {
  proxy = await startProxy();
  // SMTP_URL set: emails leave by SMTP, so there is no development mailbox.
  app = await startApp({ REDIS_URL: proxy.url, QUEUE_PREFIX: prefix, SMTP_URL: 'smtp://127.0.0.1:9' });
  queues = openQueues(producerConnection(REDIS.toString()), prefix);
  await failJobs('email', emailIds.map((id) => ({ name: 'email.notification', id })), 'SMTP 550: mailbox unavailable');
  await failJobs('work', [{ name: 'reports.build', id: reportId }], 'report source missing');
  await queues.work.add('reports.build', { tenantId: randomUUID() }, { jobId: randomUUID() });
  await queues.work.add('reports.build', { tenantId: randomUUID() }, { jobId: randomUUID(), delay: 3_600_000 });
});

afterAll(async () => {
  if (queues) {
    await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).catch(() => {})));
    await closeQueues(queues);
  }
  await app?.stop();
  await proxy?.close();
});

describe('queue health with Redis', () => {
  it('shows national staff each queue’s counts and its failed jobs with their reason and attempts', async () => {
    const c = await as('petar.nikolic@ite.test');
    const res = await c.get(page);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<caption>Послови по реду</caption>');
    expect(counts(html, 'Е-пошта')).toEqual([0, 0, 0, 3, 0]);
    expect(counts(html, 'Извештаји')).toEqual([1, 0, 0, 1, 1]);
    expect(counts(html, 'Периодични послови')).toEqual([0, 0, 0, 0, 0]);
    expect(html).toContain('Неуспели послови у реду „Е-пошта”');
    expect(html).toContain('Нема неуспелих послова.');
    for (const id of [...emailIds, reportId]) expect(html).toContain(`<code>${id}</code>`);
    expect(html).toContain('SMTP 550: mailbox unavailable');
    expect(html).toContain('report source missing');
    expect(html).toContain(`aria-label="Покрени поново посао ${emailIds[0]}"`);
    expect(html).toContain('Покрени поново све неуспеле у реду „Е-пошта”');
    expect(html).not.toContain('Ова инсталација нема Redis');
    expect(html).not.toContain('Redis не одговара');
    expect(html).toMatch(/нису предати реду: \d+, од тога сада на реду \d+, већ покушаних \d+\./);
  });

  it('puts what waits on the national office’s home page: failed jobs, and a template version due for adoption, by its title', async () => {
    const c = await as('petar.nikolic@ite.test');
    // A version whose adopt-by date is ten days off (and one past its date, which no longer waits),
    // set in the national office's scope as its editor sets it.
    const [national] = rowsOf<{ id: string }>(await app.owner.db.execute(sql`select id from tenants where kind = 'national'`));
    await withTenantOn(app.owner.db, { tenantId: national.id }, async (tx) => {
      await tx.execute(sql`update template_versions v set adopt_by = current_date + 10 from templates t
        where t.id = v.template_id and t.key = 'overtime-request' and v.version = 2`);
      await tx.execute(sql`update template_versions v set adopt_by = current_date - 1 from templates t
        where t.id = v.template_id and t.key = 'overtime-report' and v.version = 2`);
    });
    const [{ due }] = rowsOf<{ due: string }>(await app.owner.db.execute(sql`select to_char(current_date + 10, 'DD.MM.YYYY.') as due`));
    const html = await (await c.get('/national')).text();
    expect(html).toMatch(/<span class="waiting__count">4<\/span> (<!-- -->)?посла нису успела/);
    expect(html).toContain('href="/national/queues"');
    expect(html).toMatch(/<span class="waiting__count">1<\/span> (<!-- -->)?верзија обрасца мора бити усвојена у наредних 30 дана/);
    expect(html).toContain(`„Захтев за прековремени рад“, верзија 2: до ${due}`);
    expect(html).toContain('Ниједан захтев за приступање не чека преглед.');
    await c.post('/locale', { locale: 'en', redirectTo: '/national' });
    const en = await (await c.get('/national')).text();
    expect(en).toContain(`“Overtime request”, version 2: by ${due}`);
    // The choice of language stays with the account: back to Serbian for the tests after this one.
    await c.post('/locale', { locale: 'sr-Cyrl', redirectTo: '/national' });
  });

  it('retries one failed job with fresh attempts, then all the failed jobs of a queue, with plain form posts', async () => {
    const c = await as('petar.nikolic@ite.test');
    const one = await c.post(page, { intent: 'retry', queue: 'email', id: emailIds[1] });
    expect(one.status).toBe(302);
    expect(one.headers.get('location')).toBe(`${page}?retried=1`);
    const job = (await queues.email.getJob(emailIds[1])) as Job;
    expect(await job.getState()).toBe('waiting');
    expect(job.attemptsMade).toBe(0);
    const after = await (await c.get(`${page}?retried=1`)).text();
    expect(after).toContain('1 посао је поново у реду.');
    expect(counts(after, 'Е-пошта')).toEqual([1, 0, 0, 2, 0]);

    // Already waiting: nothing to retry.
    expect((await c.post(page, { intent: 'retry', queue: 'email', id: emailIds[1] })).headers.get('location')).toBe(`${page}?retried=0`);

    const all = await c.post(page, { intent: 'retryAll', queue: 'email' });
    expect(all.headers.get('location')).toBe(`${page}?retried=2`);
    expect(await (await c.get(`${page}?retried=2`)).text()).toContain('2 посла су поново у реду.');
    expect(await queues.email.getJobCounts('waiting', 'failed')).toEqual({ waiting: 3, failed: 0 });
    // The other queue's failed job stays failed.
    expect(await queues.work.getFailedCount()).toBe(1);
  });

  it('refuses a bad form, a tenant’s staff and a cross-site post', async () => {
    const c = await as('petar.nikolic@ite.test');
    expect((await c.post(page, { intent: 'retryAll', queue: 'nope' })).status).toBe(400);
    expect((await c.post(page, { intent: 'retry', queue: 'work' })).status).toBe(400);
    expect((await c.post(page, { intent: 'retry', queue: 'work', id: reportId }, { origin: 'http://evil.test' })).status).toBe(403);
    const admin = await as('milos.tomic@surdulica.test');
    expect((await admin.get(page)).status).toBe(404);
    expect((await admin.post(page, { intent: 'retry', queue: 'work', id: reportId })).status).toBe(404);
    expect(await queues.work.getFailedCount()).toBe(1);
  });

  it('has no development mailbox when emails leave by SMTP', async () => {
    const c = await as('petar.nikolic@ite.test');
    const nav = await (await c.get('/national')).text();
    expect(nav).toMatch(/<a[^>]*href="\/national\/queues"[^>]*>Редови послова<\/a>/);
    expect(nav).not.toContain('href="/national/mail"');
    expect((await c.get('/national/mail')).status).toBe(404);
  });
});

describe('queue health when Redis does not answer', () => {
  it('answers within a few seconds when Redis hangs, with the outbox backlog, and a retry says so', async () => {
    const c = await as('petar.nikolic@ite.test');
    proxy.mode = 'silent';
    try {
      const started = Date.now();
      const res = await c.get(page);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(Date.now() - started).toBeLessThan(4000);
      expect(html).toContain('Redis не одговара; бројеви се не могу прочитати. Затражени послови чекају у излазном реду.');
      expect(html).toMatch(/нису предати реду: \d+, од тога сада на реду \d+, већ покушаних \d+\./);
      expect(html).not.toContain('Послови по реду');
      const retry = await c.post(page, { intent: 'retry', queue: 'work', id: reportId });
      expect(retry.status).toBe(503);
      expect(await retry.text()).toContain('Redis не одговара');
    } finally {
      proxy.mode = 'forward';
    }
    // The server is none the worse for it.
    expect(counts(await (await c.get(page)).text(), 'Извештаји')[3]).toBe(1);
  });

  it('answers at once when Redis refuses connections', async () => {
    const c = await as('petar.nikolic@ite.test');
    await proxy.close();
    const started = Date.now();
    const res = await c.get(page);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Redis не одговара');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
