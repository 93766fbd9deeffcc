// The pieces of the forms' schemas that read fields as a form sent them (`parseFields` of
// app/framework/form.server.ts): plain zod, so the route modules that declare their schemas
// beside the page can be loaded in the browser too.
import * as z from 'zod';
import { isUuid } from '../ids';

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
