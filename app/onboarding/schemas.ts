// One zod schema per form of onboarding, shared by the page (conform's client validation) and
// the action (parseWithZod). Messages are i18n keys, translated beside the fields; a key may
// carry one value after a "|" ("onboarding.errors.unknownToken|month").
import * as z from 'zod';
import { isDate } from '../workflow/template/datetime';
import { currentPasswordField, newPasswordField } from '../auth/password-policy';
import { isLocale } from '../i18n/resources';
import { maticniBrojProblem, pibProblem } from './identifiers';
import { bodyKinds, slugPattern } from './names';
import { registryFormatProblem } from './registry-format';

export const wizardSteps = ['body', 'admin', 'units', 'staff', 'templates', 'review'] as const;
export type WizardStep = (typeof wizardSteps)[number];
export const isWizardStep = (s: unknown): s is WizardStep => (wizardSteps as readonly unknown[]).includes(s);

/** Roles a tenant admin may give; the national office's roles are not among them. */
export const tenantRoles = ['employee', 'unit_head', 'hr', 'finance', 'finance_head', 'chief_admin', 'registry_clerk', 'tenant_admin'] as const;
export type TenantRole = (typeof tenantRoles)[number];

const required = (max: number) =>
  z.string({ error: 'form.required' }).trim().min(1, 'form.required').max(max, `onboarding.errors.tooLong|${max}`);
const optional = (max: number) => z.string().trim().max(max, `onboarding.errors.tooLong|${max}`).optional();
const email = z
  .email({ error: (issue) => (issue.input === undefined ? 'form.required' : 'form.email') })
  .max(254, 'form.email')
  .transform((e) => e.toLowerCase());
const cyrillic = /[\u0400-\u04FF]/;
const latinLetters = /[A-Za-zČĆĐŠŽčćđšž]/;

export const bodySchema = z
  .object({
    kind: z.enum(bodyKinds, { error: 'onboarding.errors.kind' }),
    nameCyrl: optional(200),
    nameLatn: optional(200),
    nameEn: optional(200),
    maticniBroj: z
      .string({ error: 'form.required' })
      .trim()
      .superRefine((v, ctx) => {
        const problem = maticniBrojProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem === 'format' ? 'onboarding.errors.mbFormat' : 'onboarding.errors.mbCheckDigit' });
      }),
    pib: z
      .string({ error: 'form.required' })
      .trim()
      .superRefine((v, ctx) => {
        const problem = pibProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem === 'format' ? 'onboarding.errors.pibFormat' : 'onboarding.errors.pibCheckDigit' });
      }),
    address: required(300),
  })
  .superRefine((v, ctx) => {
    if (!v.nameCyrl && !v.nameLatn) ctx.addIssue({ code: 'custom', path: ['nameCyrl'], message: 'onboarding.errors.nameRequired' });
    if (v.nameCyrl && (!cyrillic.test(v.nameCyrl) || latinLetters.test(v.nameCyrl)))
      ctx.addIssue({ code: 'custom', path: ['nameCyrl'], message: 'onboarding.errors.notCyrillic' });
    if (v.nameLatn && cyrillic.test(v.nameLatn)) ctx.addIssue({ code: 'custom', path: ['nameLatn'], message: 'onboarding.errors.notLatin' });
  });
export type BodyAnswers = z.infer<typeof bodySchema>;

// The length rule of the password policy; the server also refuses guessable passwords.
const newPassword = newPasswordField;

/** The first administrator. A password already saved may be kept by leaving the fields empty. */
export function adminSchema(passwordSaved: boolean) {
  return z
    .object({
      fullName: required(200),
      position: required(200),
      email,
      password: passwordSaved ? newPassword.optional() : newPassword,
      confirm: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.password !== undefined && v.password !== v.confirm)
        ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'onboarding.errors.passwordMismatch' });
    });
}
export type AdminAnswers = Omit<z.infer<ReturnType<typeof adminSchema>>, 'password' | 'confirm'>;

export const unitCode = z
  .string({ error: 'form.required' })
  .trim()
  .min(1, 'form.required')
  .max(20, 'onboarding.errors.tooLong|20')
  .regex(/^[\p{L}\p{N}._-]+$/u, 'onboarding.errors.unitCode')
  .transform((c) => c.toUpperCase());
const unitRef = z
  .string()
  .trim()
  .max(20, 'onboarding.errors.tooLong|20')
  .transform((c) => c.toUpperCase())
  .optional();

export const unitRow = z.object({ code: unitCode, name: required(200), nameEn: optional(200), parentCode: unitRef });
export type UnitRow = z.infer<typeof unitRow>;

/** Problems of a list of units taken together: duplicate codes, unknown or circular parents. */
export function unitListIssues(units: Array<{ code: string; parentCode?: string }>): Array<{ index: number; field: 'code' | 'parentCode'; message: string }> {
  const issues: Array<{ index: number; field: 'code' | 'parentCode'; message: string }> = [];
  const byCode = new Map<string, number>();
  units.forEach((u, i) => {
    const key = u.code.toUpperCase();
    if (byCode.has(key)) issues.push({ index: i, field: 'code', message: 'onboarding.errors.unitCodeDuplicate' });
    else byCode.set(key, i);
  });
  units.forEach((u, i) => {
    if (!u.parentCode) return;
    if (!byCode.has(u.parentCode.toUpperCase())) {
      issues.push({ index: i, field: 'parentCode', message: 'onboarding.errors.parentUnknown' });
      return;
    }
    // Follow the parents; coming back to this unit is a cycle.
    const seen = new Set<number>([i]);
    let parent = u.parentCode;
    while (parent) {
      const at = byCode.get(parent.toUpperCase());
      if (at === undefined) break;
      if (seen.has(at)) {
        issues.push({ index: i, field: 'parentCode', message: 'onboarding.errors.parentCycle' });
        break;
      }
      seen.add(at);
      parent = units[at].parentCode ?? '';
    }
  });
  return issues;
}

export const unitsSchema = z
  .object({ units: z.array(unitRow, { error: 'onboarding.errors.unitsRequired' }).min(1, 'onboarding.errors.unitsRequired').max(500) })
  .superRefine((v, ctx) => {
    for (const issue of unitListIssues(v.units)) ctx.addIssue({ code: 'custom', path: ['units', issue.index, issue.field], message: issue.message });
  });

const role = z.enum(tenantRoles, { error: 'onboarding.errors.roleUnknown' });

const roleList = z
  .array(role)
  .default([])
  .transform((list) => [...new Set<TenantRole>(['employee', ...list])]);

export const staffRow = z.object({
  email,
  fullName: required(200),
  position: required(200),
  unitCode: unitRef,
  roles: roleList,
});
export type StaffRow = z.infer<typeof staffRow>;

/** Staff listed at signup: known units, each email once and not the administrator's. */
export function staffSchema(unitCodes: string[], adminEmail: string | undefined) {
  const units = new Set(unitCodes.map((c) => c.toUpperCase()));
  return z
    .object({ staff: z.array(staffRow).max(5000).default([]) })
    .superRefine((v, ctx) => {
      const seen = new Set<string>();
      v.staff.forEach((s, i) => {
        if (s.email === adminEmail) ctx.addIssue({ code: 'custom', path: ['staff', i, 'email'], message: 'onboarding.errors.emailIsAdmin' });
        else if (seen.has(s.email)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'email'], message: 'onboarding.errors.emailDuplicate' });
        seen.add(s.email);
        if (s.unitCode && !units.has(s.unitCode.toUpperCase()))
          ctx.addIssue({ code: 'custom', path: ['staff', i, 'unitCode'], message: 'onboarding.errors.unitUnknown' });
      });
    });
}

export function templatesSchema(keys: string[]) {
  return z.object({ templates: z.array(z.string()).default([]).refine((list) => list.every((k) => keys.includes(k)), 'onboarding.errors.templateUnknown') });
}

export const rejectSchema = z.object({ reason: required(2000) });

export const approveSchema = z.object({
  slug: z
    .string({ error: 'form.required' })
    .trim()
    .toLowerCase()
    .regex(slugPattern, 'onboarding.errors.slug'),
});

export const invitationPasswordSchema = z
  .object({ password: newPassword, confirm: z.string().optional() })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'onboarding.errors.passwordMismatch' });
  });

export const existingPasswordSchema = z.object({ password: currentPasswordField });

const uuid = z.uuid({ error: 'onboarding.errors.choose' });
const roles = roleList;

export const inviteSchema = z.object({
  email,
  fullName: required(200),
  position: required(200),
  unitId: uuid.optional(),
  roles,
});

export const memberSchema = z.object({
  fullName: required(200),
  position: required(200),
  unitId: uuid.optional(),
  roles,
});

export const unitSchema = z.object({
  code: unitCode,
  name: required(200),
  nameEn: optional(200),
  parentId: uuid.optional(),
});

const isoDate = z.iso.date({ error: (issue) => (issue.input === undefined ? 'form.required' : 'onboarding.errors.date') }).refine(isDate, 'onboarding.errors.date');

export const substituteSchema = z
  .object({
    absentId: z.uuid({ error: 'onboarding.errors.choose' }),
    substituteId: z.uuid({ error: 'onboarding.errors.choose' }),
    startsOn: isoDate,
    endsOn: isoDate,
    note: optional(500),
  })
  .superRefine((v, ctx) => {
    if (v.absentId === v.substituteId) ctx.addIssue({ code: 'custom', path: ['substituteId'], message: 'onboarding.errors.samePerson' });
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'onboarding.errors.periodOrder' });
  });

export const settingsSchema = z.object({
  registryFormat: z
    .string({ error: 'form.required' })
    .trim()
    .superRefine((v, ctx) => {
      const problem = registryFormatProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `onboarding.errors.format.${problem.problem}${problem.token !== undefined ? `|${problem.token}` : ''}` });
    }),
  defaultLocale: z.string({ error: 'form.required' }).refine(isLocale, 'onboarding.errors.choose'),
});

export const holidaySchema = z.object({ date: isoDate, name: required(200) });

export const holidayYearSchema = z.object({ year: z.coerce.number({ error: 'onboarding.errors.year' }).int('onboarding.errors.year').min(2000, 'onboarding.errors.year').max(2100, 'onboarding.errors.year') });
