// zod compiles each object schema's parser with `new Function` where it may, deciding when the
// schema is built. The Content-Security-Policy allows no eval, so in the browser zod is told not
// to compile (nor try, which the browser reports as a violation) before any schema is built:
// this module is the root route's first import, evaluated before every route module. The
// server keeps the compiled parsers.
// `config` alone, from zod's core: the root route is on every page, and a page without a form
// loads no more of zod than this (zod keeps the setting on `globalThis`, for every copy of it).
import { config } from 'zod/v4/core';

if (typeof document !== 'undefined') config({ jitless: true });
