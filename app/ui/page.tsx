import type { ReactNode } from 'react';
import { RefusalSummary } from './refusal';

/** The page's main landmark, the skip link's target; a form the boundary refused is reported at its top. */
export function Main({ children }: { children: ReactNode }) {
  return (
    <main id="main" tabIndex={-1}>
      <RefusalSummary />
      {children}
    </main>
  );
}
