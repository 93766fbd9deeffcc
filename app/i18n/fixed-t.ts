// SHORTCUT (ADR 013): the `t` that react-i18next hands every component, without the cost
// i18next 26+ adds to each call.
//
// i18next's own `getFixedT` builds `{ ...i18n.options, ...callOptions }` on every call — a
// 40-key object in dictionary mode, about 10 µs — for key *selectors* (functions), which
// Delovod never passes. A list page calls `t` hundreds of times, so that object was the
// biggest single part of rendering the inbox (docs/performance.md). This `getFixedT` does what
// upstream does for string keys (the language and namespace it was fixed to, unless the call
// names its own) and hands everything else — selectors, key prefixes, arrays — to upstream.
// A text asked for without options is the same every time for a language and key (the texts
// are bundled and never change at run time), so it is looked up once.
//
// Contract: app/i18n/fixed-t.test.ts compares it with upstream's `getFixedT` for every key of
// every language, with and without options. Goes when i18next builds the selector options only
// for selector keys (check each i18next upgrade: delete this module, run `npm run bench:ab`).
import type { i18n, TFunction } from 'i18next';

/** Distinct keys remembered per language and namespace before starting over (keys are finite; this bounds a bug). */
const REMEMBERED = 5_000;

export function installFixedT(instance: i18n): void {
  const upstream = instance.getFixedT.bind(instance);
  const texts = new Map<string, Map<string, string>>();
  instance.getFixedT = ((lng: unknown, ns: unknown, keyPrefix: unknown, fixedOptions: unknown) => {
    const original = (upstream as (...args: unknown[]) => TFunction)(lng, ns, keyPrefix, fixedOptions);
    if (typeof lng !== 'string' || typeof ns !== 'string' || keyPrefix !== undefined) return original;
    const cacheKey = `${lng}\u0000${ns}`;
    let remembered = texts.get(cacheKey);
    if (!remembered) texts.set(cacheKey, (remembered = new Map()));
    const cache = remembered;
    const t = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
      if (typeof key !== 'string' || rest.length > 0 || (options !== undefined && (typeof options !== 'object' || options === null))) {
        return (original as unknown as (...args: unknown[]) => unknown)(key, options, ...rest);
      }
      if (options === undefined) {
        let text = cache.get(key);
        if (text === undefined) {
          text = instance.t(key, { lng, ns }) as string;
          if (cache.size >= REMEMBERED) cache.clear();
          cache.set(key, text);
        }
        return text;
      }
      const o = options as { lng?: string; ns?: string };
      return instance.t(key, { ...o, lng: o.lng || lng, ns: o.ns || ns });
    };
    return Object.assign(t, { lng, ns, keyPrefix }) as unknown as TFunction;
  }) as typeof instance.getFixedT;
}
