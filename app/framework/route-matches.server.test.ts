import { matchRoutes } from '@remix-run/router';
import { describe, expect, it, vi } from 'vitest';
import { PATHS_PER_TREE, rememberingMatchRoutes } from './route-matches.server';

const routes = [
  { id: 'root', path: '', children: [{ id: 'tenant', path: 't/:tenant', children: [{ id: 'inbox', path: 'inbox' }, { id: 'card', path: 'documents/:id' }] }, { id: 'splat', path: '*' }] },
];

describe('remembered route matches', () => {
  it('answers as matchRoutes does, for strings and locations, with and without a basename', () => {
    const remembering = rememberingMatchRoutes(matchRoutes as never);
    for (const location of ['/t/beograd/inbox', '/t/nis/documents/42?x=1#y', { pathname: '/t/nis/documents/43' }, '/nowhere', '/']) {
      for (const basename of [undefined, '/', '/t']) {
        const expected = matchRoutes(routes, location, basename);
        expect(remembering(routes, location, basename)).toEqual(expected);
        expect(remembering(routes, location, basename)).toEqual(expected);
      }
    }
  });

  it('answers a tree rebuilt with the same shape from memory, with that tree’s own route objects', () => {
    const original = vi.fn(matchRoutes as never) as unknown as Parameters<typeof rememberingMatchRoutes>[0];
    const remembering = rememberingMatchRoutes(original);
    remembering(routes, '/t/beograd/inbox');
    const rebuilt = structuredClone(routes);
    const matches = remembering(rebuilt, '/t/beograd/inbox')!;
    expect(original).toHaveBeenCalledTimes(1);
    const tenant = rebuilt[0].children[0];
    expect(matches.map((m) => m.route)).toEqual([rebuilt[0], tenant, tenant.children![0]]);
    expect(matches.at(-1)!.route).toBe(tenant.children![0]);
    // Another shape (a path changed) is matched afresh.
    const moved = structuredClone(routes);
    moved[0].children[0].path = 'tenant/:tenant';
    expect(remembering(moved, '/t/beograd/inbox')).toEqual(matchRoutes(moved, '/t/beograd/inbox'));
    expect(original).toHaveBeenCalledTimes(2);
  });

  it('computes a path once, hands out copies, and forgets the least recently used past its bound', () => {
    const original = vi.fn(matchRoutes as never) as unknown as Parameters<typeof rememberingMatchRoutes>[0];
    const remembering = rememberingMatchRoutes(original);
    const first = remembering(routes, '/t/beograd/documents/1')!;
    first[0].params.id = 'changed by a caller';
    const second = remembering(routes, '/t/beograd/documents/1')!;
    expect(second.at(-1)!.params).toEqual({ tenant: 'beograd', id: '1' });
    expect(original).toHaveBeenCalledTimes(1);
    for (let i = 2; i <= PATHS_PER_TREE; i++) remembering(routes, `/t/beograd/documents/${i}`);
    remembering(routes, '/t/beograd/documents/1'); // used again: kept
    remembering(routes, '/t/beograd/documents/next'); // one past the bound: the oldest unused (2) goes
    expect(original).toHaveBeenCalledTimes(PATHS_PER_TREE + 1);
    remembering(routes, '/t/beograd/documents/1');
    expect(original).toHaveBeenCalledTimes(PATHS_PER_TREE + 1);
    remembering(routes, '/t/beograd/documents/2');
    expect(original).toHaveBeenCalledTimes(PATHS_PER_TREE + 2);
  });
});
