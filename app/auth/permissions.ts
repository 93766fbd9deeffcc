// Roles are what a tenant admin assigns; permissions are what loaders and actions check.
export const roles = [
  'employee',
  'unit_head',
  'hr',
  'finance',
  'finance_head',
  'chief_admin',
  'registry_clerk',
  'tenant_admin',
  'national_editor',
  'national_reviewer',
] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | 'read:inbox:own'
  | 'create:document:own'
  | 'approve:document:assigned'
  | 'read:registry:tenant'
  | 'register:document:tenant'
  | 'prepare:payslip:tenant'
  | 'read:reports:tenant'
  | 'manage:staff:tenant'
  | 'manage:templates:tenant'
  | 'manage:settings:tenant'
  | 'access:national'
  | 'publish:template:national'
  | 'review:signup:national';

const member: Permission[] = ['read:inbox:own', 'create:document:own', 'approve:document:assigned'];

const byRole: Record<Role, Permission[]> = {
  employee: member,
  unit_head: member,
  hr: [...member, 'read:reports:tenant'],
  finance: [...member, 'prepare:payslip:tenant', 'read:reports:tenant'],
  finance_head: [...member, 'prepare:payslip:tenant', 'read:reports:tenant'],
  chief_admin: [...member, 'read:registry:tenant', 'read:reports:tenant'],
  registry_clerk: [...member, 'read:registry:tenant', 'register:document:tenant'],
  tenant_admin: [...member, 'manage:staff:tenant', 'manage:templates:tenant', 'manage:settings:tenant', 'read:reports:tenant'],
  national_editor: [...member, 'access:national', 'publish:template:national'],
  national_reviewer: [...member, 'access:national', 'review:signup:national'],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function permissionsOf(memberRoles: readonly string[]): Set<Permission> {
  return new Set(memberRoles.filter(isRole).flatMap((r) => byRole[r]));
}
