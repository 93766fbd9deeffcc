// @vitest-environment happy-dom
import { Link as RemixLink, NavLink as RemixNavLink } from '@remix-run/react';
import fc from 'fast-check';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';
import { isCurrent, Link, navigatesInApp, NavLink } from './link';

/** `element` as the server renders it on the page at `url`, inside a router as Remix's. */
async function renderAt(url: string, element: ReactNode): Promise<string> {
  const routes = [{ path: '*', element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error('unexpected redirect');
  return renderToStaticMarkup(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
}

const segment = fc.constantFrom('t', 'surdulica', 'Surdulica', 'inbox', 'documents', 'admin', 'staff', 'registry', 'national', 'templates', '3f9c2a1e-7b4d-4c1a-9e2f-5a6b7c8d9e0f');
const path = fc.array(segment, { minLength: 0, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const to = fc.tuple(path, fc.boolean(), fc.constantFrom('', '?page=2', '?after=2026-11-01&type=overtime-request')).map(([p, slash, search]) => `${p}${slash && p !== '/' ? '/' : ''}${search}`);
const currentOf = (html: string) => /aria-current="page"/.test(html);

describe('Link and NavLink', () => {
  it('render what Remix’s Link renders for a path within the app', async () => {
    await fc.assert(
      fc.asyncProperty(path, to, fc.constantFrom(undefined, 'choice'), async (at, target, className) => {
        const ours = await renderAt(at, <Link to={target} className={className}>x</Link>);
        const remix = await renderAt(at, <RemixLink to={target} className={className}>x</RemixLink>);
        expect(ours).toBe(remix);
        expect(await renderAt(at, <Link to={target} reloadDocument>x</Link>)).toBe(await renderAt(at, <RemixLink to={target} reloadDocument>x</RemixLink>));
      }),
    );
  });

  it('mark the current page as Remix’s NavLink does, with and without end', async () => {
    await fc.assert(
      fc.asyncProperty(path, path, fc.boolean(), fc.boolean(), async (at, target, slash, end) => {
        const linkTo = `${target}${slash && target !== '/' ? '/' : ''}`;
        const ours = await renderAt(at, <NavLink to={linkTo} end={end}>x</NavLink>);
        const remix = await renderAt(at, <RemixNavLink to={linkTo} end={end}>x</RemixNavLink>);
        expect(currentOf(ours)).toBe(currentOf(remix));
        expect(isCurrent(linkTo, at, end)).toBe(currentOf(remix));
      }),
    );
    expect(isCurrent('/t/surdulica/admin', '/t/surdulica/admin/staff')).toBe(true);
    expect(isCurrent('/t/surdulica/admin', '/t/surdulica/admin/staff', true)).toBe(false);
    expect(isCurrent('/t/surdulica/admin', '/t/surdulica/administration')).toBe(false);
    expect(isCurrent('/', '/t/surdulica/inbox')).toBe(false);
  });

  it('navigate in the app only on a plain left click of a same-origin link that opens here', () => {
    const anchor = (attributes: Record<string, string>) => {
      const a = document.createElement('a');
      for (const [name, value] of Object.entries(attributes)) a.setAttribute(name, value);
      document.body.append(a);
      return a;
    };
    const origin = 'http://localhost:3000';
    const plain = { defaultPrevented: false, button: 0, metaKey: false, altKey: false, ctrlKey: false, shiftKey: false };
    const here = anchor({ href: `${origin}/t/surdulica/inbox` });
    expect(navigatesInApp(plain, here, origin)).toBe(true);
    expect(navigatesInApp(plain, anchor({ href: `${origin}/t/surdulica/inbox`, target: '_self' }), origin)).toBe(true);
    for (const event of [{ defaultPrevented: true }, { button: 1 }, { metaKey: true }, { altKey: true }, { ctrlKey: true }, { shiftKey: true }]) {
      expect(navigatesInApp({ ...plain, ...event }, here, origin)).toBe(false);
    }
    expect(navigatesInApp(plain, anchor({ href: `${origin}/report.csv`, download: '' }), origin)).toBe(false);
    expect(navigatesInApp(plain, anchor({ href: `${origin}/t/surdulica/inbox`, target: '_blank' }), origin)).toBe(false);
    expect(navigatesInApp(plain, anchor({ href: 'https://example.org/t/surdulica/inbox' }), origin)).toBe(false);
  });
});
