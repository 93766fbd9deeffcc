import { Form } from '@remix-run/react';

/**
 * A table row's one-button form: posts `intent` with the row's `id` (the action reads it with
 * `rowAction` of app/framework/form.server.ts). `named` is what a screen
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
