import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
// The router's state holds the action data of whichever route was posted to; `useActionData`
// gives only the calling route's, and the summary sits in the layout's `<main>`, above it.
import { UNSAFE_DataRouterStateContext } from 'react-router-dom';
import { pageRefusalOf } from '../framework/refusal';
import { ErrorSummary } from './field';

const textOf = {
  400: ['input.badRequestTitle', 'input.badRequest'],
  409: ['input.conflictTitle', 'input.conflict'],
  413: ['input.tooLargeTitle', 'input.tooLarge'],
  415: ['input.unsupportedTitle', 'input.unsupported'],
} as const;

/** The page's error summary for a form the input boundary refused as a whole (ADR 016). */
export function RefusalSummary() {
  const { t } = useTranslation();
  const actionData = useContext(UNSAFE_DataRouterStateContext)?.actionData;
  const refusal = Object.values(actionData ?? {})
    .map(pageRefusalOf)
    .find(Boolean);
  if (!refusal) return null;
  const [title, text] = textOf[refusal.status];
  return (
    <div data-refusal={refusal.status}>
      <ErrorSummary title={t(title)} messages={[{ text: t(text) }]} />
    </div>
  );
}
