// zod compiles each object schema's parser with `new Function` where it may, deciding when the
// schema is built. The Content-Security-Policy allows no eval, so in the browser zod is told not
// to compile (nor try, which the browser reports as a violation) before any schema is built:
// this module is the root route's first import, evaluated before every route module. The
// server keeps the compiled parsers.
// `config` from zod's core, not the whole of zod: the root route is on every page, and a page
// without a form loads zod's core (83 KB) but none of its schemas' API or languages. (The
// setting lives on `globalThis`, where every schema built later reads it.)
import { config } from 'zod/v4/core';

if (typeof document !== 'undefined') config({ jitless: true });
