import { Form } from '@remix-run/react';
import { z } from 'zod';
import { isUuid } from '../ids';

/**
 * A table row's one-button form: posts `intent` with the row's `id`. `named` is what a screen
 * reader hears, naming the row (a column of identical "Remove" buttons says nothing alone).
 */
export function RowAction({ id, intent, label, named, danger = false }: { id: string; intent: string; label: string; named: string; danger?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="id" value={id} />
      <button type="submit" name="intent" value={intent} className={danger ? 'button danger' : 'button secondary'} aria-label={named}>
        {label}
      </button>
    </Form>
  );
}

/**
 * What a `RowAction` of one of `intents` posted, or null when the form is another one of the
 * page's. A row action with an id that names no row is answered 404 by its route, so a malformed
 * id is not told apart from a missing one.
 */
export function rowActionOf<const I extends readonly [string, ...string[]]>(form: FormData, intents: I): { intent: I[number]; id: string | null } | null {
  const parsed = z.object({ intent: z.enum(intents), id: z.string().refine(isUuid).nullable().catch(null) }).safeParse({ intent: form.get('intent'), id: form.get('id') });
  return parsed.success ? (parsed.data as { intent: I[number]; id: string | null }) : null;
}
