import * as z from 'zod';
import { labelsSchema } from './labels';

/**
 * One schema for a template version (DESIGN §4). The editor, the preview, the form renderer
 * and the server all parse through it, so a definition means the same thing everywhere.
 * Shape and field-local invariants live here; references across the definition and the
 * catalog are checked by validate.ts.
 */

export const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Field and computed names are expression symbols, hence identifier-shaped. */
export const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;
/** Tenant parameters are namespaced (`premium.overtime`) so they never collide with fields. */
export const PARAMETER_NAME = /^[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)+$/;
export const RULE_NAME = /^[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)+$/;
/** Registry classification codes: group digits, optionally subdivided (`112`, `112-01`). */
export const CLASSIFICATION = /^[0-9]{1,4}(?:-[0-9]{1,4})*$/;

/** The author's own editing, before the route starts. */
export const DRAFT = 'draft';

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'decimal',
  'money',
  'date',
  'time',
  'datetime',
  'month',
  'select',
  'checkbox',
  'staff',
  'orgUnit',
  'document',
  'attachment',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const STEP_KINDS = ['approve', 'consult', 'acknowledge', 'prepare'] as const;
export const DOCUMENT_STATES = [
  'draft',
  'in_approval',
  'returned',
  'approved',
  'registered',
  'rejected',
  'withdrawn',
] as const;
export const ROUNDING_MODES = ['halfUp', 'halfEven', 'down', 'up'] as const;
export const COMPUTED_KINDS = ['number', 'decimal', 'money'] as const;
export const NUMERIC_PARAMETER_TYPES = ['number', 'decimal', 'percent', 'hours'] as const;

const slug = z.string().max(64).regex(SLUG);
const identifier = z.string().max(40).regex(IDENTIFIER);
const parameterName = z.string().max(80).regex(PARAMETER_NAME);
const stepRef = z.string().min(1).max(64);
const bound = z.number().finite();
const length = z.number().int().min(0).max(100_000);

const fieldBase = {
  name: identifier,
  label: labelsSchema,
  help: labelsSchema.optional(),
  required: z.boolean().default(false),
  /** Steps whose assignee may fill or change the field; `draft` is the author. */
  editableAt: z.array(stepRef).min(1).max(20).default([DRAFT]),
};

const textField = z.strictObject({
  ...fieldBase,
  type: z.literal('text'),
  minLength: length.optional(),
  maxLength: length.min(1).default(200),
  /** Whole-value match, as the HTML `pattern` attribute does. */
  pattern: z.string().min(1).max(500).optional(),
});

const textareaField = z.strictObject({
  ...fieldBase,
  type: z.literal('textarea'),
  minLength: length.optional(),
  maxLength: length.min(1).default(4000),
});

/** Whole numbers (days, counts). */
const numberField = z.strictObject({
  ...fieldBase,
  type: z.literal('number'),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});

const decimalField = z.strictObject({
  ...fieldBase,
  type: z.literal('decimal'),
  min: bound.optional(),
  max: bound.optional(),
  /** Digits allowed after the decimal point. */
  scale: z.number().int().min(0).max(6).default(2),
});

/** Dinars with two decimals, never a float. */
const moneyField = z.strictObject({
  ...fieldBase,
  type: z.literal('money'),
  min: bound.optional(),
  max: bound.optional(),
});

const plainField = <T extends 'date' | 'time' | 'datetime' | 'month' | 'checkbox'>(type: T) =>
  z.strictObject({ ...fieldBase, type: z.literal(type) });

const selectField = z.strictObject({
  ...fieldBase,
  type: z.literal('select'),
  options: z
    .array(
      z.strictObject({
        value: z.string().max(64).regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/),
        label: labelsSchema,
      }),
    )
    .min(1)
    .max(200),
});

/** A member of this tenant. */
const staffField = z.strictObject({
  ...fieldBase,
  type: z.literal('staff'),
  /** Offer only members holding this role. */
  role: z.string().min(1).max(64).optional(),
  /** Pre-fill with the author (e.g. an employee requesting their own overtime). */
  default: z.literal('author').optional(),
});

const orgUnitField = z.strictObject({
  ...fieldBase,
  type: z.literal('orgUnit'),
  default: z.literal('authorUnit').optional(),
});

/** A link to another document of this tenant, of a given template and state. */
const documentField = z.strictObject({
  ...fieldBase,
  type: z.literal('document'),
  template: slug,
  status: z.array(z.enum(DOCUMENT_STATES)).min(1).default(['approved', 'registered']),
});

const attachmentField = z.strictObject({
  ...fieldBase,
  type: z.literal('attachment'),
  maxFiles: z.number().int().min(1).max(20).default(1),
  maxSizeMb: z.number().positive().max(50).default(10),
  accept: z
    .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/))
    .min(1)
    .default(['application/pdf', 'image/jpeg', 'image/png']),
});

function customIssue(ctx: z.RefinementCtx, path: (string | number)[], code: string, params: Record<string, string | number> = {}) {
  ctx.addIssue({ code: 'custom', path, message: code, params: { code, ...params } });
}

export const fieldSchema = z
  .discriminatedUnion('type', [
    textField,
    textareaField,
    numberField,
    decimalField,
    moneyField,
    plainField('date'),
    plainField('time'),
    plainField('datetime'),
    plainField('month'),
    selectField,
    plainField('checkbox'),
    staffField,
    orgUnitField,
    documentField,
    attachmentField,
  ])
  .superRefine((field, ctx) => {
    // Field-local invariants: without them the form would refuse every possible value.
    if ('min' in field && field.min !== undefined && field.max !== undefined && field.min > field.max) {
      customIssue(ctx, ['max'], 'boundsInverted', { field: field.name, min: field.min, max: field.max });
    }
    if ('minLength' in field && field.minLength !== undefined && field.minLength > field.maxLength) {
      customIssue(ctx, ['maxLength'], 'boundsInverted', { field: field.name, min: field.minLength, max: field.maxLength });
    }
    if (field.type === 'text' && field.pattern !== undefined && compilePattern(field.pattern) === undefined) {
      customIssue(ctx, ['pattern'], 'badPattern', { field: field.name });
    }
    if (field.type === 'select') {
      const seen = new Set<string>();
      field.options.forEach((o, i) => {
        if (seen.has(o.value)) customIssue(ctx, ['options', i, 'value'], 'duplicateOption', { field: field.name, value: o.value });
        seen.add(o.value);
      });
    }
  });

/** The regular expression a text field's pattern means, or undefined if it does not compile. */
export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

const roundingSchema = z.strictObject({
  decimals: z.number().int().min(0).max(6),
  mode: z.enum(ROUNDING_MODES),
});

export const computedSchema = z
  .strictObject({
    name: identifier,
    label: labelsSchema,
    help: labelsSchema.optional(),
    /** mathjs syntax over field, computed and numeric tenant-parameter names. */
    expression: z.string().trim().min(1).max(1000),
    kind: z.enum(COMPUTED_KINDS),
    rounding: roundingSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'money' && c.rounding !== undefined && c.rounding.decimals !== 2) {
      customIssue(ctx, ['rounding', 'decimals'], 'moneyDecimals', { computed: c.name });
    }
  })
  .transform((c) => ({
    ...c,
    // RSD amounts are rounded half-up to the para; decimals keep two places; numbers are whole.
    rounding: c.rounding ?? { decimals: c.kind === 'number' ? 0 : 2, mode: 'halfUp' as const },
  }));

export const ruleUseSchema = z.strictObject({
  rule: z.string().max(80).regex(RULE_NAME),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Rule slot → field, computed value or tenant parameter; an unmapped slot uses its default. */
  fields: z.record(z.string(), z.string().min(1).max(80)).default({}),
});

export const assigneeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('authorUnitHead') }),
  z.strictObject({ type: z.literal('role'), role: z.string().min(1).max(64) }),
  /** A role held in the author's organisational unit. */
  z.strictObject({ type: z.literal('unitRole'), role: z.string().min(1).max(64) }),
  /** A named position the tenant maps to people (declared as a `position` tenant parameter). */
  z.strictObject({ type: z.literal('position'), position: z.string().min(1).max(80) }),
  /** The member chosen in a staff field earlier in the line (e.g. the assigned case handler). */
  z.strictObject({ type: z.literal('staffField'), field: z.string().min(1).max(80) }),
]);

export const quorumSchema = z.union([z.literal('all'), z.literal('any'), z.strictObject({ n: z.number().int().min(1) })]);

export const stepSchema = z.strictObject({
  id: slug,
  kind: z.enum(STEP_KINDS),
  label: labelsSchema,
  assignee: assigneeSchema,
  /** Adjacent steps sharing a group run at the same time; the group completes at its quorum. */
  parallel: z.strictObject({ group: slug, quorum: quorumSchema }).optional(),
  /** Business hours (tenant holiday calendar), or the name of an `hours` tenant parameter. */
  slaHours: z.union([z.number().positive().max(2000), z.string().regex(PARAMETER_NAME)]).optional(),
  /** Only for `consult`: the line waits for this opinion. */
  blocking: z.boolean().optional(),
});

export const numberingSchema = z.strictObject({
  register: z.boolean(),
  /** Overrides the template's classification for the registry number. */
  classification: z.string().regex(CLASSIFICATION).optional(),
  /** `final`: on final approval (the default); `submit`: on receipt, as incoming mail is. */
  at: z.enum(['final', 'submit']).default('final'),
});

export const followUpSchema = z.strictObject({
  template: slug,
  when: z.enum(['approved', 'registered']),
  mode: z.enum(['offer', 'createDraft']),
  /** Target field → source field or computed value. */
  carry: z.record(z.string(), z.string().min(1).max(80)).default({}),
  /** A `document` field of the target that receives a link to this document. */
  link: z.string().min(1).max(80).optional(),
});

/**
 * A periodic document built from other documents: e.g. the monthly overtime pay slip sums
 * one employee's confirmed result reports of the month.
 */
export const aggregateSchema = z.strictObject({
  from: slug,
  status: z.enum(['approved', 'registered']).default('approved'),
  period: z.literal('month'),
  /** This template's `month` field naming the period. */
  periodField: z.string().min(1).max(80),
  /** The source's `date` or `datetime` field placing a source document in a period. */
  dateField: z.string().min(1).max(80),
  /** This template's field → source field that must be equal (e.g. the employee). */
  match: z.record(z.string(), z.string().min(1).max(80)).default({}),
  /** This template's numeric field → source numeric field or computed value, summed. */
  sum: z.record(z.string(), z.string().min(1).max(80)),
});

const parameterBase = {
  name: parameterName,
  label: labelsSchema,
  help: labelsSchema.optional(),
};

export const tenantParameterSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...parameterBase,
    type: z.enum(NUMERIC_PARAMETER_TYPES),
    default: bound,
    min: bound.optional(),
    max: bound.optional(),
  }),
  /** A named position (e.g. who distributes incoming mail) the tenant maps to people. */
  z.strictObject({ ...parameterBase, type: z.literal('position') }),
]);

export const templateVersionSchema = z.strictObject({
  key: slug,
  version: z.number().int().min(1),
  title: labelsSchema,
  description: labelsSchema.optional(),
  category: slug,
  classification: z.string().regex(CLASSIFICATION),
  fields: z.array(fieldSchema).min(1).max(100),
  computed: z.array(computedSchema).max(50).default([]),
  rules: z.array(ruleUseSchema).max(50).default([]),
  route: z.array(stepSchema).min(1).max(30),
  numbering: numberingSchema.default({ register: false, at: 'final' }),
  followUps: z.array(followUpSchema).max(20).default([]),
  aggregate: aggregateSchema.optional(),
  tenantParameters: z.array(tenantParameterSchema).max(50).default([]),
});

export type TemplateVersion = z.infer<typeof templateVersionSchema>;
/** What an author writes: defaults may be omitted and `sr-Latn` labels are derived. */
export type TemplateVersionInput = z.input<typeof templateVersionSchema>;
export type Field = z.infer<typeof fieldSchema>;
export type Computed = z.infer<typeof computedSchema>;
export type Rounding = z.infer<typeof roundingSchema>;
export type RuleUse = z.infer<typeof ruleUseSchema>;
export type Step = z.infer<typeof stepSchema>;
export type Assignee = z.infer<typeof assigneeSchema>;
export type Quorum = z.infer<typeof quorumSchema>;
export type Numbering = z.infer<typeof numberingSchema>;
export type FollowUp = z.infer<typeof followUpSchema>;
export type Aggregate = z.infer<typeof aggregateSchema>;
export type TenantParameter = z.infer<typeof tenantParameterSchema>;
export type NumericTenantParameter = Extract<TenantParameter, { type: (typeof NUMERIC_PARAMETER_TYPES)[number] }>;

/** Field types whose values an expression can compute with (see compute.ts for the units). */
export const NUMERIC_FIELD_TYPES: ReadonlySet<FieldType> = new Set([
  'number',
  'decimal',
  'money',
  'date',
  'time',
  'datetime',
  'checkbox',
]);
