import { sql } from 'drizzle-orm';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { connectPostgres, postgresTarget } from './client';
import { rowsOf } from './rows';
import { withTenantOn } from './tenant';

describe('connection URLs', () => {
  it('reads libpq’s ?host=/folder as the Unix socket in it, and leaves other URLs alone', () => {
    expect(postgresTarget('postgres://delovod_app@/delovod?host=/var/run/postgresql')).toEqual({
      url: 'postgres://delovod_app@localhost/delovod',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(postgresTarget('postgresql://u:p@db:6543/delovod?host=/run/pg&sslmode=disable')).toEqual({
      url: 'postgresql://u:p@db:6543/delovod?sslmode=disable',
      path: '/run/pg/.s.PGSQL.6543',
    });
    for (const url of ['postgres://delovod_app@127.0.0.1:5432/delovod', 'postgres://u@db/x?host=db2']) expect(postgresTarget(url)).toEqual({ url });
  });
});

describe('statements on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(inject('templateDatabase'));
  });
  afterAll(() => database?.drop());

  /** How many times the client writes to the server's socket while `fn` runs. */
  async function writesDuring(fn: () => Promise<unknown>): Promise<number> {
    const write = net.Socket.prototype.write;
    let writes = 0;
    net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<typeof write>) {
      if (this.remotePort === 5432) writes++;
      return write.apply(this, args);
    } as typeof write;
    try {
      await fn();
    } finally {
      net.Socket.prototype.write = write;
    }
    return writes;
  }

  it('prepares them: one round trip each once a connection knows them, and those sent together go out together', async () => {
    const app = connectPostgres(database.appUrl, { max: 1 });
    try {
      const query = (n: number) => app.db.execute(sql`select ${n}::int as n, ${'ћирилица'}::text as t`);
      await query(0);
      // Unprepared, each would be written twice (Parse and Describe, then Bind and Execute), one after the other.
      expect(await writesDuring(() => Promise.all([1, 2, 3].map(query)))).toBe(1);
      expect(rowsOf(await query(4))).toEqual([{ n: 4, t: 'ћирилица' }]);
      // In a tenant transaction too: BEGIN, the settings, three reads and COMMIT in two writes.
      const tenant = { tenantId: '00000000-0000-4000-8000-000000000000' };
      await withTenantOn(app.db, tenant, (tx) => tx.execute(sql`select ${0}::int`));
      expect(await writesDuring(() => withTenantOn(app.db, tenant, (tx) => Promise.all([1, 2, 3].map((n) => tx.execute(sql`select ${n}::int`)))))).toBe(2);
      // And in drizzle's own transactions: BEGIN, three reads and COMMIT in three writes.
      const reads = () => app.db.transaction((tx) => Promise.all([1, 2, 3].map((n) => tx.execute(sql`select ${n}::int`))));
      await reads();
      expect(await writesDuring(reads)).toBe(3);
    } finally {
      await app.close();
    }
  });
});
