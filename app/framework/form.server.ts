// How an action reads its form (issue 23, ADR 019): through one zod schema, here and nowhere
// else (eslint.config.js refuses `request.formData()` and a raw read of `intent` elsewhere).
// A route with several buttons parses a discriminated union on `intent`; a form whose intent the
// page never offered — missing, unknown, repeated — is refused as a whole with 400, which a
// browser sees as its own page with the refusal in its error summary (ADR 018) and any other
// client as the translated error page. The input boundary (app/security/input.server.ts) has
// already checked the body's type, size and text before the route runs.
import type { Submission } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import * as z from 'zod';
import { fieldsOf, type FormFields } from './form-fields';

/** A form sent that no page of Delovod renders: the boundary answers 400 (the page, for a browser). */
export function refuseForm(): never {
  throw new Response('Bad Request', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

const formOf = (from: Request | FormData): Promise<FormData> | FormData => (from instanceof FormData ? from : from.formData());

/**
 * The form parsed by its one schema, the conform way: names are paths (`items[0].name`), an
 * empty text is absent, and the submission can be replied with the messages beside the fields.
 * An error at `intent` refuses the form (400) instead.
 */
export async function parseForm<Schema extends z.ZodType>(from: Request | FormData, schema: Schema): Promise<Submission<z.input<Schema>, string[], z.output<Schema>>> {
  const submission = parseWithZod(await formOf(from), { schema });
  if (submission.status === 'error' && submission.error?.intent) refuseForm();
  return submission;
}

/**
 * The form parsed by its one schema with its names as sent, for forms whose names are not paths
 * (a template's own fields, its parameters with dots in their names) or whose values are kept
 * exactly as typed. An issue at `intent` refuses the form (400), as in `parseForm`.
 */
export async function parseFields<Schema extends z.ZodType>(
  from: Request | FormData,
  schema: Schema,
): Promise<{ form: FormData; fields: FormFields; result: z.ZodSafeParseResult<z.output<Schema>> }> {
  const form = await formOf(from);
  const fields = fieldsOf(form);
  const result = schema.safeParse(fields);
  if (!result.success && result.error.issues.some((issue) => issue.path[0] === 'intent')) refuseForm();
  return { form, fields, result };
}
