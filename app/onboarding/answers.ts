// A signup's saved answers, checked as a whole: by the wizard's review step, and again by the
// national office's approval (nothing the browser sent is trusted twice).
import { adminSchema, bodySchema, staffSchema, templatesSchema, unitsSchema, type StaffRow, type UnitRow, type WizardStep } from './schemas';
import type * as z from 'zod';

export interface CheckedAnswers {
  body: z.infer<typeof bodySchema>;
  admin: { fullName: string; position: string; email: string };
  units: UnitRow[];
  staff: StaffRow[];
  templates: string[];
}

export type AnswersCheck = { ok: true; value: CheckedAnswers } | { ok: false; steps: WizardStep[] };

interface RawAnswers {
  body?: unknown;
  admin?: unknown;
  units?: unknown;
  staff?: unknown;
  templates?: unknown;
}

export function checkAnswers(answers: RawAnswers, catalogKeys: string[], passwordSaved: boolean): AnswersCheck {
  const body = bodySchema.safeParse(answers.body ?? {});
  const admin = adminSchema(passwordSaved).safeParse(answers.admin ?? {});
  const units = unitsSchema.safeParse({ units: answers.units ?? [] });
  const staff = staffSchema(units.success ? units.data.units.map((u) => u.code) : [], admin.success ? admin.data.email : undefined).safeParse({
    staff: answers.staff ?? [],
  });
  const templates = templatesSchema(catalogKeys).safeParse({ templates: answers.templates ?? [] });
  const failed: WizardStep[] = [];
  if (!body.success) failed.push('body');
  if (!admin.success) failed.push('admin');
  if (!units.success) failed.push('units');
  if (!staff.success) failed.push('staff');
  if (!templates.success) failed.push('templates');
  if (!body.success || !admin.success || !units.success || !staff.success || !templates.success) return { ok: false, steps: failed };
  const { fullName, position, email } = admin.data;
  return {
    ok: true,
    value: { body: body.data, admin: { fullName, position, email }, units: units.data.units, staff: staff.data.staff, templates: templates.data.templates },
  };
}
