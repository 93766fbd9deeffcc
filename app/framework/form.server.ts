// How an action reads its form (issue 23, ADR 019): through one zod schema, here and nowhere
// else (eslint.config.js refuses `request.formData()` and a raw read of `intent` elsewhere).
// A route with several buttons parses a discriminated union on `intent`; a form whose intent the
// page never offered — missing, unknown, repeated — is refused as a whole with 400, which a
// browser sees as its own page with the refusal in its error summary (ADR 018) and any other
// client as the translated error page. The input boundary (app/security/input.server.ts) has
// already checked the body's type, size and text before the route runs.
import type { Submission } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { isUuid } from '../ids';

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

/** A form's fields as sent: each name's value, or its values when the name is repeated. */
export type FormFields = Record<string, FormDataEntryValue | FormDataEntryValue[]>;

export function fieldsOf(form: FormData): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of form) {
    const had = fields[name];
    fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return fields;
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

/** A text field as sent: its first value when repeated, '' when absent (or a file). */
export function textOf(value: FormFields[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** A field that may be repeated (checkboxes, a multiple select), as its list of texts. */
export function textsOf(value: FormFields[string] | undefined): string[] {
  return (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The schema of a field read by `parseFields`, given its first value (undefined when absent). */
export const first = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);

/** The schema of a text field read by `parseFields`: '' when absent. */
export const text = <T extends z.ZodType>(schema: T) => z.preprocess((v) => textOf(v as FormFields[string] | undefined), schema);

/** The schema of a repeatable field read by `parseFields`. */
export const texts = <T extends z.ZodType>(schema: T) => z.preprocess((v) => textsOf(v as FormFields[string] | undefined), schema);

/** A row's id as a form sent it, or null when it is not a uuid: the route answers 404, as for an id that names no row. */
export const rowId = z.string().refine(isUuid).nullable().catch(null);

/** A table row's one-button form (app/ui/row-action.tsx): its `intent` and the row's id. */
export const rowAction = <const I extends string>(intent: I) => z.object({ intent: z.literal(intent), id: rowId });
