import type { LoaderFunctionArgs } from '@remix-run/node';
import { attachmentReply } from '../api/documents.server';
import { methodNotAllowed, serveApi } from '../api/http.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:documents' }, attachmentReply);

export const action = () => methodNotAllowed('GET');
