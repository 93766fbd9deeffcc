import * as z from 'zod';

// Messages are i18n keys; the form translates them beside the fields.
export const loginSchema = z.object({
  email: z.email({ error: (issue) => (issue.input === undefined ? 'form.required' : 'form.email') }).max(254, 'form.email'),
  password: z.string({ error: 'form.required' }).min(1, 'form.required').max(1024, 'form.required'),
  redirectTo: z.string().optional(),
});
