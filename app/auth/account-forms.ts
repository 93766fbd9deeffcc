// The account forms' schemas, shared by the pages (conform) and the actions (parseWithZod).
// Messages are i18n keys, translated beside the fields.
import * as z from 'zod';
import { currentPasswordField, newPasswordField } from './password-policy';

const email = z.email({ error: (issue) => (issue.input === undefined ? 'form.required' : 'form.email') }).max(254, 'form.email');

const newPasswords = { password: newPasswordField, confirm: z.string().optional() };

/** The second typing of a new password must match the first. */
const sameTwice = (v: { password: string; confirm?: string }, ctx: z.RefinementCtx) => {
  if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'accounts.password.mismatch' });
};

export const changePasswordSchema = z.object({ current: currentPasswordField, ...newPasswords }).superRefine(sameTwice);

export const resetPasswordSchema = z.object(newPasswords).superRefine(sameTwice);

export const forgotPasswordSchema = z.object({ email });

export const codeSchema = z.object({
  code: z.string({ error: 'form.required' }).trim().min(1, 'form.required').max(64, 'accounts.verify.invalid'),
});

/** Turning on TOTP from the account page: a code from the app and the password. */
export const enrolSchema = codeSchema.extend({ password: currentPasswordField });

/** Changes to the second factor from the account page are confirmed with the password. */
export const confirmPasswordSchema = z.object({ password: currentPasswordField });
