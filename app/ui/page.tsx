import type { ReactNode } from 'react';

/** The page's main landmark, the skip link's target. */
export function Main({ children }: { children: ReactNode }) {
  return (
    <main id="main" tabIndex={-1}>
      {children}
    </main>
  );
}
