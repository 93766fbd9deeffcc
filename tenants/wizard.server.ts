// The signup wizard's loader and action: every step saves what was typed (valid or not), so
// leaving a step, going back, or coming back later through the resume link loses nothing.
import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import * as z from 'zod';
import { checkStaffCsv, checkUnitsCsv, CSV_MAX_BYTES, type CsvReport } from './csv';
import { knownBody, requestResumeEmail, saveSignupStep, signupByToken, submitSignup, type KnownBody, type Signup, type SignupAnswers } from './signup';
import { hashPassword } from '#app/auth/password.server';
import { newPasswordProblem } from '#app/auth/password-strength';
import { db } from '#app/db.server';
import { parseFields, refuseForm } from '#app/framework/form.server';
import { first, text } from '#app/framework/form-fields';
import { checkAnswers } from '#app/onboarding/answers';
import { publishedTemplates } from '#app/onboarding/catalog.server';
import { bothScripts } from '#app/onboarding/names';
import type { CsvReportView } from '#app/onboarding/ui';
import {
  adminSchema,
  bodySchema,
  isWizardStep,
  staffRow,
  staffSchema,
  templatesSchema,
  unitListIssues,
  unitRow,
  unitsSchema,
  wizardSteps,
  type StaffRow,
  type UnitRow,
  type WizardStep,
} from '#app/onboarding/schemas';
import { signupToken } from './signup-cookie.server';

async function currentDraft(request: Request): Promise<Signup> {
  const signup = await signupByToken(db(), await signupToken(request));
  if (!signup || signup.status !== 'draft') throw redirect('/signup');
  return signup;
}

function stepOf(param: string | undefined): WizardStep {
  if (!isWizardStep(param)) throw new Response('Not Found', { status: 404 });
  return param;
}

const answersOf = (s: Signup) => s.answers as SignupAnswers;
const unitsOf = (s: Signup) => (answersOf(s).units ?? []) as UnitRow[];
const staffOf = (s: Signup) => (answersOf(s).staff ?? []) as StaffRow[];
const adminEmailOf = (s: Signup) => (typeof answersOf(s).admin?.email === 'string' ? (answersOf(s).admin!.email as string).toLowerCase() : undefined);

/** Steps one may open: every completed step and the first one not yet completed. */
function reachable(s: Signup): WizardStep[] {
  const firstOpen = wizardSteps.find((x) => !s.completedSteps.includes(x)) ?? 'review';
  return wizardSteps.filter((x) => s.completedSteps.includes(x) || x === firstOpen || x === 'review' && firstOpen === 'review');
}

export async function wizardLoader({ request, params }: LoaderFunctionArgs) {
  const step = stepOf(params.step);
  const signup = await currentDraft(request);
  const open = reachable(signup);
  if (!open.includes(step)) throw redirect(`/signup/${open[open.length - 1]}`);
  const answers = answersOf(signup);
  const catalog = step === 'templates' || step === 'review' ? await publishedTemplates() : [];
  const check = step === 'review' ? checkAnswers(answers, catalog.map((c) => c.key), !!signup.adminPasswordHash) : null;
  const known = step === 'review' && signup.maticniBroj && signup.pib ? await knownBody(db(), { maticniBroj: signup.maticniBroj, pib: signup.pib }, signup.id) : null;
  const notice = new URL(request.url).searchParams.get('notice');
  return {
    step,
    completed: signup.completedSteps,
    reachable: open,
    answers: { body: answers.body ?? {}, admin: answers.admin ?? {}, units: unitsOf(signup), staff: staffOf(signup), templates: answers.templates ?? [] },
    pending: answers.pending?.[step] ?? {},
    skipped: step === 'review' ? { units: answers.skipped?.units ?? [], staff: answers.skipped?.staff ?? [] } : { units: [], staff: [] },
    passwordSaved: !!signup.adminPasswordHash,
    contactEmail: signup.contactEmail,
    catalog,
    review: check ? { failed: check.ok ? [] : check.steps, known, names: check.ok ? bothScripts(check.value.body.nameCyrl ?? '', check.value.body.nameLatn ?? '') : null } : null,
    notice: notice && ['linkSent', 'tooSoon', 'noEmail', 'imported'].includes(notice) ? notice : null,
  };
}

/** Skipped CSV rows kept per step for the review; a file with more problems is better fixed and sent again. */
const SKIPPED_KEPT = 200;

const neighbour = (step: WizardStep, by: 1 | -1) => wizardSteps[wizardSteps.indexOf(step) + by];

export type WizardActionData =
  | { kind: 'form'; result: SubmissionResult<string[]> }
  | { kind: 'report'; report: CsvReportView; target: 'units' | 'staff' }
  | { kind: 'error'; message: string };

export function reportView<T>(report: CsvReport<T>, bytes: Uint8Array): CsvReportView {
  return {
    encoding: report.encoding,
    problems: report.problems,
    rows: report.rows.map(({ line, values, errors }) => ({ line, values, errors })),
    validCount: report.valid.length,
    csv: Buffer.from(bytes).toString('base64'),
  };
}

function knownMessage(known: KnownBody): string {
  return known.kind === 'tenant' ? 'onboarding.errors.knownTenant' : 'onboarding.errors.knownPending';
}

const stripSecrets = (payload: Record<string, unknown>) => {
  const { password: _p, confirm: _c, intent: _i, ...rest } = payload;
  return rest;
};

const hasInput = (payload: Record<string, unknown>, fields: string[]) => fields.some((f) => typeof payload[f] === 'string' && (payload[f] as string).trim() !== '');

/**
 * The wizard's buttons, and the CSV file or its hidden copy: a button the wizard does not have
 * is refused (400). Each step's own fields are read by that step's schema below.
 */
const wizardControls = z.object({
  intent: z.union([z.enum(['next', 'back', 'add', 'upload', 'importValid', 'sendLink', 'submit']), z.string().regex(/^remove:(0|[1-9][0-9]{0,3})$/)]),
  file: first(z.instanceof(File).optional()).catch(undefined),
  csv: text(z.string()),
});

export async function wizardAction({ request, params }: ActionFunctionArgs) {
  const step = stepOf(params.step);
  const signup = await currentDraft(request);
  if (Number(request.headers.get('content-length') ?? 0) > CSV_MAX_BYTES + 64 * 1024) {
    return data<WizardActionData>({ kind: 'error', message: 'onboarding.csv.tooBig' }, { status: 413 });
  }
  const { form, result: controls } = await parseFields(request, wizardControls);
  // Only the intent can be wrong, and `parseFields` refuses the form for it.
  if (!controls.success) refuseForm();
  const { intent } = controls.data;
  const answers: SignupAnswers = { ...answersOf(signup) };
  const save = (extra: Partial<Parameters<typeof saveSignupStep>[2]> = {}) => saveSignupStep(db(), signup, { step, answers, ...extra });
  const here = (notice?: string) => redirect(`/signup/${step}${notice ? `?notice=${notice}` : ''}`);

  if (intent === 'sendLink') {
    throw here(await requestResumeEmail(db(), signup) === 'sent' ? 'linkSent' : signup.contactEmail ? 'tooSoon' : 'noEmail');
  }

  switch (step) {
    case 'body':
    case 'admin': {
      const schema = step === 'body' ? bodySchema : adminSchema(!!signup.adminPasswordHash);
      const submission = parseWithZod(form, { schema });
      answers[step] = stripSecrets(submission.payload);
      if (intent === 'back') {
        await save();
        throw redirect(step === 'body' ? '/signup' : `/signup/${neighbour(step, -1)}`);
      }
      if (submission.status !== 'success') {
        await save({ completed: false });
        return data<WizardActionData>({ kind: 'form', result: submission.reply({ hideFields: ['password', 'confirm'] }) }, { status: 400 });
      }
      if (step === 'body') {
        const body = submission.value as z.infer<typeof bodySchema>;
        const known = await knownBody(db(), { maticniBroj: body.maticniBroj, pib: body.pib }, signup.id);
        if (known) {
          await save({ completed: false });
          return data<WizardActionData>({ kind: 'form', result: submission.reply({ fieldErrors: { maticniBroj: [knownMessage(known)] } }) }, { status: 409 });
        }
        const names = bothScripts(body.nameCyrl ?? '', body.nameLatn ?? '');
        await save({ completed: true, columns: { maticniBroj: body.maticniBroj, pib: body.pib, nameCyrl: names.nameCyrl } });
      } else {
        const admin = submission.value as { email: string; fullName: string; password?: string };
        const body = (answers.body ?? {}) as Record<string, unknown>;
        const weak = admin.password && newPasswordProblem(admin.password, [admin.fullName, admin.email, ...[body.nameCyrl, body.nameLatn, body.nameEn].map((n) => (typeof n === 'string' ? n : null))]);
        if (weak) {
          await save({ completed: false });
          return data<WizardActionData>({ kind: 'form', result: submission.reply({ fieldErrors: { password: [weak] }, hideFields: ['password', 'confirm'] }) }, { status: 400 });
        }
        const adminPasswordHash = admin.password ? await hashPassword(admin.password) : undefined;
        await save({ completed: true, adminPasswordHash, columns: { contactEmail: admin.email } });
      }
      throw redirect(`/signup/${neighbour(step, 1)}`);
    }

    case 'units':
    case 'staff': {
      const isUnits = step === 'units';
      const list: Array<UnitRow | StaffRow> = isUnits ? unitsOf(signup) : staffOf(signup);
      const fields = isUnits ? ['code', 'name', 'nameEn', 'parentCode'] : ['email', 'fullName', 'position', 'unitCode'];
      const units = unitsOf(signup);
      const rowSchema = isUnits
        ? unitRow.superRefine((row, ctx) => {
            for (const issue of unitListIssues([...units, row])) if (issue.index === units.length) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
          })
        : staffRow.superRefine((row, ctx) => {
            const existing = staffOf(signup).map((s) => s.email);
            if (row.email === adminEmailOf(signup)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'onboarding.errors.emailIsAdmin' });
            else if (existing.includes(row.email)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'onboarding.errors.emailListed' });
            if (row.unitCode && !units.some((u) => u.code === row.unitCode)) ctx.addIssue({ code: 'custom', path: ['unitCode'], message: 'onboarding.errors.unitUnknown' });
          });

      if (intent.startsWith('remove:')) {
        const index = Number(intent.slice(7));
        const removed = list[index];
        if (!removed) throw here();
        if (isUnits) {
          const code = (removed as UnitRow).code;
          if (units.some((u) => u.parentCode === code) || staffOf(signup).some((s) => s.unitCode === code)) {
            return data<WizardActionData>({ kind: 'error', message: 'onboarding.errors.unitInUse' }, { status: 409 });
          }
        }
        answers[step] = list.filter((_, i) => i !== index);
        await save({ completed: false });
        throw here();
      }

      if (intent === 'upload' || intent === 'importValid') {
        let bytes: Uint8Array;
        if (intent === 'upload') {
          const { file } = controls.data;
          if (!file || file.size === 0) return data<WizardActionData>({ kind: 'error', message: 'onboarding.csv.empty' }, { status: 400 });
          bytes = new Uint8Array(await file.arrayBuffer());
        } else {
          // The file comes back as the report's hidden copy, and is checked all over again.
          bytes = new Uint8Array(Buffer.from(controls.data.csv, 'base64'));
        }
        const report = isUnits
          ? checkUnitsCsv(bytes, units)
          : checkStaffCsv(bytes, { existingEmails: staffOf(signup).map((s) => s.email), unitCodes: units.map((u) => u.code), adminEmail: adminEmailOf(signup) });
        const clean = !report.problems.length && report.rows.every((r) => !r.errors.length);
        if ((clean || intent === 'importValid') && report.valid.length) {
          answers[step] = [...list, ...report.valid];
          // The rows left out stay listed, with their reasons, until the review.
          const skipped = report.rows.filter((r) => r.errors.length).slice(0, SKIPPED_KEPT).map(({ line, values, errors }) => ({ line, values, errors }));
          answers.skipped = { ...answers.skipped, [step]: [...(answers.skipped?.[step] ?? []), ...skipped] };
          await save({ completed: false });
          throw here('imported');
        }
        return data<WizardActionData>({ kind: 'report', report: reportView<UnitRow | StaffRow>(report, bytes), target: step }, { status: 400 });
      }

      const submission = parseWithZod(form, { schema: rowSchema });
      const typed = hasInput(submission.payload, fields);
      if (intent === 'back') {
        answers.pending = { ...answers.pending, [step]: stripSecrets(submission.payload) };
        await save();
        throw redirect(`/signup/${neighbour(step, -1)}`);
      }
      if (intent === 'add' || typed) {
        if (submission.status !== 'success') {
          answers.pending = { ...answers.pending, [step]: stripSecrets(submission.payload) };
          await save();
          return data<WizardActionData>({ kind: 'form', result: submission.reply() }, { status: 400 });
        }
        answers[step] = [...list, submission.value];
        answers.pending = { ...answers.pending, [step]: {} };
        if (intent === 'add') {
          await save({ completed: false });
          throw here();
        }
      }
      const whole = isUnits
        ? unitsSchema.safeParse({ units: answers.units })
        : staffSchema(units.map((u) => u.code), adminEmailOf(signup)).safeParse({ staff: answers.staff ?? [] });
      if (!whole.success) {
        await save({ completed: false });
        return data<WizardActionData>({ kind: 'error', message: whole.error.issues[0].message }, { status: 400 });
      }
      await save({ completed: true });
      throw redirect(`/signup/${neighbour(step, 1)}`);
    }

    case 'templates': {
      const keys = (await publishedTemplates()).map((t) => t.key);
      const submission = parseWithZod(form, { schema: templatesSchema(keys) });
      answers.templates = submission.status === 'success' ? submission.value.templates : [];
      if (intent === 'back') {
        await save();
        throw redirect(`/signup/${neighbour(step, -1)}`);
      }
      if (submission.status !== 'success') {
        await save({ completed: false });
        return data<WizardActionData>({ kind: 'form', result: submission.reply() }, { status: 400 });
      }
      await save({ completed: true });
      throw redirect('/signup/review');
    }

    case 'review': {
      if (intent === 'back') throw redirect(`/signup/${neighbour(step, -1)}`);
      const keys = (await publishedTemplates()).map((t) => t.key);
      const check = checkAnswers(answers, keys, !!signup.adminPasswordHash);
      if (!check.ok) return data<WizardActionData>({ kind: 'error', message: 'onboarding.review.incomplete' }, { status: 400 });
      const result = await submitSignup(db(), signup);
      if (!result.ok) return data<WizardActionData>({ kind: 'error', message: result.known ? knownMessage(result.known) : 'onboarding.review.incomplete' }, { status: 409 });
      throw redirect('/signup');
    }
  }
}
