// One file per area; each area's tenant tables get their RLS in a hand-written migration.
export * from './core';
export * from './catalog';
export * from './onboarding';
export * from './documents';
export * from './jobs';
export * from './accounts';
export * from './sealing';
export * from './integration';
