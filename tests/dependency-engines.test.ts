// Every installed package supports every Node.js version Delovod declares (package.json
// `engines`). npm only warns (`EBADENGINE`) about one that does not, and such a package is
// free to use, in its next patch release, what those versions lack.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')) as unknown;
const own = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

it('declares Node.js versions that exist, and the one running the tests among them', () => {
  expect(semver.validRange(own.engines.node)).not.toBeNull();
  expect(semver.satisfies(process.versions.node, own.engines.node), `Node.js ${process.versions.node} is outside ${own.engines.node}`).toBe(true);
});

it('installs no package that leaves out a Node.js version package.json declares', () => {
  const outside = Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, p]) => {
      const wanted = Array.isArray(p.engines) ? undefined : p.engines?.node;
      if (!wanted) return [];
      // A range npm could not read would not stop it either: name it rather than pass over it.
      if (!semver.validRange(wanted)) return [`${path}@${p.version}: unreadable engines.node "${wanted}"`];
      return semver.subset(own.engines.node, wanted) ? [] : [`${path}@${p.version} wants node ${wanted}`];
    });
  expect(outside, `package.json declares node ${own.engines.node}`).toEqual([]);
});
