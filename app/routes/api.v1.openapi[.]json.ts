import { openApiDocument } from '../api/openapi.server';

// Public: the description of the API is no secret.
export const loader = () =>
  new Response(JSON.stringify(openApiDocument(), null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
  });
