// Serves the framework floor (scripts/bench/floor, built with `remix build scripts/bench/floor`)
// the way the product's server serves pages: Express, Remix's request handler, compression.
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const build = (await import(`${here}build/index.js`)) as ServerBuild;
const app = express();
app.disable('x-powered-by');
app.use(compression({ level: 4 }));
app.get('/healthz', (_req, res) => void res.type('text/plain').send('ok'));
app.all('*', createRequestHandler({ build, mode: 'production' }));
app.listen(Number(process.env.PORT), '127.0.0.1');
