import * as z from 'zod';
import type { FieldValue } from './compute';
import { parseFieldValue } from './field-values';
import type { Locale } from './labels';
import { formatMessage } from './messages';
import { DRAFT, type Computed, type Field, type FieldType, type TemplateVersion } from './schema';

/**
 * What the form renderer and the submission check derive from a template version. Both
 * come from the same definition and the same value parser, so the limits a form shows are
 * the limits the server enforces.
 */

export interface FieldConstraints {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Whole-value pattern, as the HTML `pattern` attribute means it. */
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  /** Decimal places allowed. */
  readonly scale?: number;
  /** Granularity for numeric inputs: `1`, `0.01` … */
  readonly step?: string;
  readonly maxFiles?: number;
  readonly maxSizeMb?: number;
  readonly accept?: readonly string[];
}

export interface FieldDescriptor {
  readonly name: string;
  readonly type: FieldType;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  readonly editableAt: readonly string[];
  readonly constraints: FieldConstraints;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Pre-fill: the author (staff) or the author's unit (orgUnit). */
  readonly default?: 'author' | 'authorUnit';
  /** Staff fields: offer only members with this role. */
  readonly role?: string;
  /** Document fields: the linked template and the states a linked document may be in. */
  readonly template?: string;
  readonly status?: readonly string[];
}

export interface ComputedDescriptor {
  readonly name: string;
  readonly label: string;
  readonly help?: string;
  readonly kind: Computed['kind'];
  readonly decimals: number;
}

const stepOf = (scale: number) => (scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`);

function constraints(field: Field): FieldConstraints {
  switch (field.type) {
    case 'text':
      return { minLength: field.minLength, maxLength: field.maxLength, pattern: field.pattern };
    case 'textarea':
      return { minLength: field.minLength, maxLength: field.maxLength };
    case 'number':
      return { min: field.min, max: field.max, scale: 0, step: '1' };
    case 'decimal':
      return { min: field.min, max: field.max, scale: field.scale, step: stepOf(field.scale) };
    case 'money':
      return { min: field.min, max: field.max, scale: 2, step: '0.01' };
    case 'attachment':
      return { maxFiles: field.maxFiles, maxSizeMb: field.maxSizeMb, accept: field.accept };
    default:
      return {};
  }
}

export function fieldDescriptors(def: TemplateVersion, locale: Locale): FieldDescriptor[] {
  return def.fields.map((field) => ({
    name: field.name,
    type: field.type,
    label: field.label[locale],
    help: field.help?.[locale],
    required: field.required,
    editableAt: field.editableAt,
    constraints: constraints(field),
    ...(field.type === 'select' && { options: field.options.map((o) => ({ value: o.value, label: o.label[locale] })) }),
    ...((field.type === 'staff' || field.type === 'orgUnit') && field.default && { default: field.default }),
    ...(field.type === 'staff' && field.role && { role: field.role }),
    ...(field.type === 'document' && { template: field.template, status: field.status }),
  }));
}

export function computedDescriptors(def: TemplateVersion, locale: Locale): ComputedDescriptor[] {
  return def.computed.map((c) => ({
    name: c.name,
    label: c.label[locale],
    help: c.help?.[locale],
    kind: c.kind,
    decimals: c.rounding.decimals,
  }));
}

/** The fields whoever acts at a step may fill in: the author in the draft, or a `prepare` step. */
export function editableFields(def: TemplateVersion, stepId: string = DRAFT): Field[] {
  return def.fields.filter((f) => f.editableAt.includes(stepId));
}

export interface SubmissionOptions {
  readonly locale: Locale;
  /** The step being acted on; the author's draft when absent. */
  readonly stepId?: string;
  /** Saving work in progress: values are checked, but required fields may still be empty. */
  readonly partial?: boolean;
}

/**
 * The zod schema for one submission at one step. Only that step's editable fields are
 * read (anything else in the form data is dropped, so a step cannot overwrite another's
 * fields). Error messages are in the requested locale; each issue also carries its code
 * and parameters in `params` for callers that translate themselves.
 */
export function submissionSchema(def: TemplateVersion, options: SubmissionOptions) {
  const fields = editableFields(def, options.stepId);
  const shape: Record<string, z.ZodType<FieldValue | undefined, unknown>> = {};
  for (const field of fields) {
    const required = field.required && !options.partial;
    shape[field.name] = z.unknown().transform((raw, ctx) => {
      const r = parseFieldValue(field, raw, required);
      if (r.ok) return r.value;
      ctx.addIssue({
        code: 'custom',
        message: formatMessage(options.locale, r.code, r.params),
        params: { code: r.code, ...r.params },
      });
      return z.NEVER;
    });
  }
  // zod treats an absent key as an error of its own before our parser can say "required" or
  // accept an empty optional field; presenting every editable key lets the parser decide.
  const absent = Object.fromEntries(fields.map((f) => [f.name, undefined]));
  return z.preprocess(
    (raw) => (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...absent, ...raw } : raw),
    z.object(shape),
  );
}

export type SubmissionSchema = ReturnType<typeof submissionSchema>;
