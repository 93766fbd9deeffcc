import type { ActionFunctionArgs } from '@remix-run/node';
import { submitDraft } from '../api/documents.server';
import { methodNotAllowed, serveApi } from '../api/http.server';

export const loader = () => methodNotAllowed('POST');

export const action = (args: ActionFunctionArgs) => (args.request.method === 'POST' ? serveApi(args, { scope: 'submit:documents' }, submitDraft) : methodNotAllowed('POST'));
