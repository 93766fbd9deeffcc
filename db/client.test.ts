import { describe, expect, it } from 'vitest';
import { postgresTarget } from './client';

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
