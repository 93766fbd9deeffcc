import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { createDraft, listDocuments } from '../api/documents.server';
import { methodNotAllowed, serveApi } from '../api/http.server';

export const loader = (args: LoaderFunctionArgs) => serveApi(args, { scope: 'read:documents' }, listDocuments);

export const action = (args: ActionFunctionArgs) =>
  args.request.method === 'POST' ? serveApi(args, { scope: 'create:drafts', body: true }, createDraft) : methodNotAllowed('GET, POST');
