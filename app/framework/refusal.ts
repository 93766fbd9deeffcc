// A generic refusal of a browser's form post (app/security/input.server.ts), as the page's action
// data: the page renders with its own error summary (app/ui/refusal.tsx) instead of the error page.

/** The action data's key: no route's own action data uses it. */
export const REFUSAL_KEY = '__refused';

export interface PageRefusal {
  status: 400 | 409 | 413 | 415;
}

export function pageRefusalOf(actionData: unknown): PageRefusal | null {
  if (!actionData || typeof actionData !== 'object' || !(REFUSAL_KEY in actionData)) return null;
  return (actionData as Record<typeof REFUSAL_KEY, PageRefusal>)[REFUSAL_KEY];
}
