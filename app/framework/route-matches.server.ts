// Remix 2 matches a page request's path against the route tree several times (the server's own
// match, then once per parent path of the URL, to send the browser the routes it needs first),
// and react-router's matchRoutes flattens, ranks and compiles every route into a regular
// expression on each call: 12 % of the web process's CPU under load, more than any query. The
// route tree never changes while the process runs (Remix rebuilds its objects per request, with
// the same ids and paths), so the matches of a path are remembered per tree shape, for a
// bounded number of paths, and handed back with the caller's own route objects.
import { createRequire } from 'node:module';

interface Route {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: Route[];
}
type Location = string | { pathname?: string };
interface Match {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: Route;
}
type MatchRoutes = ((routes: Route[], location: Location, basename?: string) => Match[] | null) & { remembered?: true };
type Remembered = { params: Match['params']; pathname: string; pathnameBase: string; routeId: string }[] | null;

const require = createRequire(import.meta.url);
export const PATHS_PER_TREE = 2_000;

interface Tree {
  /** What matching depends on: ids, paths and nesting; null when a route has no id. */
  shape: string | null;
  byId: Map<string, Route>;
}

function treeOf(routes: Route[]): Tree {
  const byId = new Map<string, Route>();
  let complete = true;
  const walk = (list: Route[]): string =>
    list
      .map((r) => {
        if (!r.id) complete = false;
        else byId.set(r.id, r);
        return `${r.id}|${r.path ?? ''}|${r.index ? 1 : 0}|${r.caseSensitive ? 1 : 0}${r.children?.length ? `(${walk(r.children)})` : ''}`;
      })
      .join(',');
  const shape = walk(routes);
  return { shape: complete ? shape : null, byId };
}

export function rememberingMatchRoutes(original: MatchRoutes): MatchRoutes {
  const trees = new WeakMap<Route[], Tree>();
  const byShape = new Map<string, Map<string, Remembered>>();
  const remembering: MatchRoutes = (routes, location, basename = '/') => {
    let tree = trees.get(routes);
    if (!tree) trees.set(routes, (tree = treeOf(routes)));
    if (tree.shape === null) return original(routes, location, basename);
    // Only the path matters to matching (a string location may still carry ?search or #hash).
    const key = `${basename}\u0000${typeof location === 'string' ? location : (location.pathname ?? '/')}`;
    let paths = byShape.get(tree.shape);
    if (!paths) byShape.set(tree.shape, (paths = new Map()));
    if (paths.has(key)) {
      const hit = paths.get(key)!;
      // The least recently used path is forgotten first: move this one to the end.
      paths.delete(key);
      paths.set(key, hit);
      const byId = tree.byId;
      return hit?.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: byId.get(m.routeId)! })) ?? null;
    }
    const matches = original(routes, location, basename);
    if (paths.size >= PATHS_PER_TREE) paths.delete(paths.keys().next().value!);
    paths.set(key, matches?.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, routeId: m.route.id! })) ?? null);
    return matches;
  };
  remembering.remembered = true;
  return remembering;
}

/** Installs the remembering matchRoutes where Remix and react-router look it up (once). */
export function rememberRouteMatches(): void {
  const router = require('@remix-run/router') as { matchRoutes: MatchRoutes };
  if (!router.matchRoutes.remembered) router.matchRoutes = rememberingMatchRoutes(router.matchRoutes);
}
