import type { LoaderFunctionArgs } from '@remix-run/node';
import { methodNotAllowed, serveApi } from '../api/http.server';
import { listRegistry } from '../api/registry.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:registry' }, listRegistry);

export const action = () => methodNotAllowed('GET');
