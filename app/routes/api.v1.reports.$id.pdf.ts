import type { LoaderFunctionArgs } from '@remix-run/node';
import { methodNotAllowed, serveApi } from '../api/http.server';
import { reportFileReply } from '../api/registry.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:reports' }, (tx, call) => reportFileReply(tx, call, 'pdf'));

export const action = () => methodNotAllowed('GET');
