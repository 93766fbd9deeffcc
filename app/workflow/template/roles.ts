/**
 * The role catalogue every tenant has. Templates name roles in assignee rules and staff
 * filters; a role outside the catalogue would leave a step with nobody to act on it.
 */
export const STANDARD_ROLES = [
  'employee',
  'unit_head',
  'hr',
  'finance',
  'finance_head',
  'chief_admin',
  'registry_clerk',
  'tenant_admin',
] as const;

export type StandardRole = (typeof STANDARD_ROLES)[number];
