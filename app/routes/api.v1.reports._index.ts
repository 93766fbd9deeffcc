import type { LoaderFunctionArgs } from '@remix-run/node';
import { methodNotAllowed, serveApi } from '../api/http.server';
import { listReports } from '../api/registry.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:reports' }, listReports);

export const action = () => methodNotAllowed('GET');
