import type { LoaderFunctionArgs } from '@remix-run/node';
import { methodNotAllowed, serveApi } from '../api/http.server';
import { readReport } from '../api/registry.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:reports' }, readReport);

export const action = () => methodNotAllowed('GET');
