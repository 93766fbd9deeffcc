/**
 * The structured editor's form: one HTML form for the whole draft whose input names are the
 * definition's own paths (`fields[2].label.en`, `route[0].assignee.role`), so a problem found
 * at a path — by the schema while editing, or by `checkTemplate` when publishing — is shown
 * beside the input that holds it. Every button posts the whole form with an `intent`: nothing
 * typed anywhere is lost, and each save checks the shape of every part the editor manages.
 * References across the definition (steps, roles, catalog) are checked when publishing.
 */
import { parseWithZod } from '@conform-to/zod/v4';
import type { SubmissionResult } from '@conform-to/react';
import * as z from 'zod';
import { toLatin } from '../../i18n/transliterate';
import { labelsSchema, type Locale } from '../template/labels';
import { formatMessage } from '../template/messages';
import { ruleLibrary } from '../template/rules';
import {
  COMPUTED_KINDS,
  computedSchema,
  FIELD_TYPES,
  fieldSchema,
  IDENTIFIER,
  PARAMETER_NAME,
  followUpSchema,
  numberingSchema,
  NUMERIC_PARAMETER_TYPES,
  ruleUseSchema,
  STEP_KINDS,
  stepSchema,
  templateVersionSchema,
  tenantParameterSchema,
  type Field,
  type TemplateVersion,
} from '../template/schema';
import { computedDescriptors, fieldDescriptors, type ComputedDescriptor, type FieldDescriptor } from '../template/form';
import { schemaProblems } from '../template/validate';
import { EDITOR_LISTS, inputName, itemId, sectionId, type EditorIntent, type EditorList, type ItemPath } from './editor-names';

export * from './editor-names';

/** The parts of a definition this form writes; anything else in a draft (an aggregate) is kept as it is. */
const MANAGED = ['title', 'description', 'category', 'classification', 'fields', 'computed', 'rules', 'route', 'numbering', 'followUps', 'tenantParameters'] as const;


// ---------------------------------------------------------------------------------------------
// Definition → form values

export type FormValues = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON → what inputs hold: strings, `on` for a ticked box; a Latin label equal to its derivation is left blank. */
function toForm(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'on' : undefined;
  if (Array.isArray(value)) return value.map(toForm);
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toForm(v);
  if (typeof value['sr-Cyrl'] === 'string' && value['sr-Latn'] === toLatin(value['sr-Cyrl'])) delete out['sr-Latn'];
  return out;
}

/** The form's values for a stored draft, whatever JSON it holds. */
export function editorValues(definition: unknown): FormValues {
  const def = isObject(definition) ? definition : {};
  const values = toForm(Object.fromEntries(MANAGED.map((k) => [k, def[k]]))) as FormValues;
  for (const k of EDITOR_LISTS) if (!Array.isArray(values[k])) values[k] = [];
  for (const step of values.route as unknown[]) {
    if (!isObject(step) || !isObject(step.parallel)) continue;
    const quorum = step.parallel.quorum;
    if (isObject(quorum)) step.parallel = { ...step.parallel, quorum: 'n', n: quorum.n };
  }
  if (!isObject(values.numbering)) values.numbering = {};
  return values;
}

// ---------------------------------------------------------------------------------------------
// Form values → definition parts

const blank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (isObject(v) && Object.values(v).every(blank)) || (Array.isArray(v) && v.every(blank));

function pick(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

/** Optional labels: all three left blank means none. */
function dropBlank(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...raw };
  for (const k of keys) if (blank(out[k])) delete out[k];
  return out;
}

const fieldKeys = new Map(
  (fieldSchema as unknown as { options: { shape: Record<string, unknown> }[] }).options.map((o) => {
    const type = (o.shape.type as { value: string }).value;
    return [type, Object.keys(o.shape)] as const;
  }),
);

/** Keeps what the field's (possibly just changed) type has; drops blank help and blank option rows. */
function normalizeField(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const keys = typeof raw.type === 'string' ? fieldKeys.get(raw.type) : undefined;
  const field = dropBlank(keys ? pick(raw, keys) : raw, ['help', 'minLength', 'pattern', 'min', 'max', 'role', 'default']);
  if (Array.isArray(field.options)) field.options = field.options.filter((o) => !blank(o));
  return field;
}

const assigneeKeys: Record<string, string[]> = {
  authorUnitHead: ['type'],
  role: ['type', 'role'],
  unitRole: ['type', 'role'],
  position: ['type', 'position'],
  staffField: ['type', 'field'],
};

function normalizeStep(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const step = dropBlank(pick(raw, ['id', 'kind', 'label', 'assignee', 'parallel', 'slaHours', 'blocking']), ['slaHours']);
  if (isObject(step.assignee)) {
    const keys = typeof step.assignee.type === 'string' ? assigneeKeys[step.assignee.type] : undefined;
    step.assignee = keys ? pick(step.assignee, keys) : step.assignee;
  }
  if (isObject(step.parallel)) {
    const { group, quorum, n } = step.parallel;
    step.parallel = blank(group) ? undefined : { group, quorum: quorum === 'n' ? { n } : quorum };
    if (step.parallel === undefined) delete step.parallel;
  }
  return step;
}

function normalizeComputed(raw: unknown): unknown {
  return isObject(raw) ? dropBlank(pick(raw, ['name', 'label', 'help', 'expression', 'kind', 'rounding']), ['help', 'rounding']) : raw;
}

function normalizeNumbering(raw: unknown): unknown {
  const n = isObject(raw) ? raw : {};
  return dropBlank({ register: n.register === 'on', at: n.at, classification: n.classification }, ['at', 'classification']);
}

function normalizeFollowUp(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const f = dropBlank(pick(raw, ['template', 'when', 'mode', 'carry', 'link']), ['link']);
  if (isObject(f.carry)) f.carry = Object.fromEntries(Object.entries(f.carry).filter(([, v]) => !blank(v)));
  return f;
}

function normalizeParameter(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const keys = raw.type === 'position' ? ['name', 'type', 'label', 'help'] : ['name', 'type', 'label', 'help', 'default', 'min', 'max'];
  return dropBlank(pick(raw, keys), ['help', 'min', 'max']);
}

/** The inputs a rule's parameter form has, from the rule's own zod schema. */
export interface RuleParamInput {
  readonly name: string;
  readonly type: 'number' | 'integer' | 'boolean';
  readonly min?: number;
  readonly max?: number;
  readonly default?: number | boolean;
}

export function ruleParamInputs(ruleName: string): RuleParamInput[] {
  const rule = ruleLibrary.get(ruleName);
  if (!rule) return [];
  const schema = z.toJSONSchema(rule.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number; default?: unknown }>;
  };
  return Object.entries(schema.properties ?? {}).flatMap(([name, p]): RuleParamInput[] => {
    if (p.type !== 'number' && p.type !== 'integer' && p.type !== 'boolean') return [];
    const def = typeof p.default === 'number' || typeof p.default === 'boolean' ? p.default : undefined;
    return [{ name, type: p.type, min: p.minimum ?? p.exclusiveMinimum, max: p.maximum ?? p.exclusiveMaximum, default: def }];
  });
}

/** Parameters typed by the rule's schema (conform cannot see into a record of unknowns). */
function normalizeRule(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const rule = typeof raw.rule === 'string' ? ruleLibrary.get(raw.rule) : undefined;
  if (!rule) return { rule: raw.rule };
  const params = isObject(raw.params) ? raw.params : {};
  const typed: Record<string, unknown> = {};
  for (const p of ruleParamInputs(rule.name)) {
    const v = params[p.name];
    if (p.type === 'boolean') typed[p.name] = v === 'on';
    else if (!blank(v)) typed[p.name] = typeof v === 'string' && Number.isFinite(Number(v.replace(',', '.'))) ? Number(v.replace(',', '.')) : v;
  }
  const slots = new Set(rule.slots.map((s) => s.name));
  const fields = isObject(raw.fields) ? Object.fromEntries(Object.entries(raw.fields).filter(([k, v]) => slots.has(k) && !blank(v))) : {};
  return { rule: rule.name, params: typed, fields };
}

const ruleEditorSchema = z.preprocess(
  normalizeRule,
  ruleUseSchema
    .superRefine((use, ctx) => {
      const rule = ruleLibrary.get(use.rule);
      if (!rule) {
        ctx.addIssue({ code: 'custom', path: ['rule'], message: 'unknownRule', params: { code: 'unknownRule', rule: use.rule } });
        return;
      }
      const parsed = rule.params.safeParse(use.params);
      for (const issue of parsed.error?.issues ?? []) ctx.addIssue({ ...issue, path: ['params', ...issue.path] } as z.core.$ZodRawIssue);
    })
    .transform((use) => ({ ...use, params: (ruleLibrary.get(use.rule)?.params.parse(use.params) ?? use.params) as Record<string, unknown> })),
);

const optionalLabels = z.preprocess((v) => (blank(v) ? undefined : v), labelsSchema.optional());

const editorShape = {
  title: labelsSchema,
  description: optionalLabels,
  category: templateVersionSchema.shape.category,
  classification: templateVersionSchema.shape.classification,
  fields: z.array(z.preprocess(normalizeField, fieldSchema)).max(100),
  computed: z.array(z.preprocess(normalizeComputed, computedSchema)).max(50),
  rules: z.array(ruleEditorSchema).max(50),
  route: z.array(z.preprocess(normalizeStep, stepSchema)).max(30),
  numbering: z.preprocess(normalizeNumbering, numberingSchema),
  followUps: z.array(z.preprocess(normalizeFollowUp, followUpSchema)).max(20),
  tenantParameters: z.array(z.preprocess(normalizeParameter, tenantParameterSchema)).max(50),
};

// What "add" asks for: enough to make an item the schema accepts; the rest is edited in its card.
const addSchemas = {
  fields: z.strictObject({ name: z.string().max(40).regex(IDENTIFIER), type: z.enum(FIELD_TYPES), label: labelsSchema }),
  computed: z.strictObject({ name: z.string().max(40).regex(IDENTIFIER), label: labelsSchema, expression: z.string().trim().min(1).max(1000), kind: z.enum(COMPUTED_KINDS) }),
  rules: z.strictObject({ rule: z.enum([...ruleLibrary.keys()] as [string, ...string[]]) }),
  route: z.strictObject({ id: stepSchema.shape.id, kind: z.enum(STEP_KINDS), label: labelsSchema }),
  followUps: z.strictObject({ template: followUpSchema.shape.template, when: followUpSchema.shape.when, mode: followUpSchema.shape.mode }),
  tenantParameters: z
    .strictObject({ name: z.string().max(80).regex(PARAMETER_NAME), type: z.enum([...NUMERIC_PARAMETER_TYPES, 'position']), label: labelsSchema, default: z.number().finite().optional() })
    .superRefine((p, ctx) => {
      if (p.type !== 'position' && p.default === undefined) ctx.addIssue({ code: 'custom', path: ['default'], message: 'missing', params: { code: 'missing' } });
    }),
} satisfies Record<EditorList, z.ZodType>;

type Added = { [L in EditorList]: z.output<(typeof addSchemas)[L]> };

function newItem<L extends EditorList>(list: L, input: Added[L], templateKey: string): unknown {
  switch (list) {
    case 'fields': {
      const f = input as Added['fields'];
      const extra: Partial<Field> =
        f.type === 'select'
          ? { options: [{ value: 'option1', label: { 'sr-Cyrl': 'Опција 1', 'sr-Latn': 'Opcija 1', en: 'Option 1' } }] }
          : f.type === 'document'
            ? { template: templateKey }
            : {};
      return fieldSchema.parse({ ...f, ...extra });
    }
    case 'rules': {
      const rule = ruleLibrary.get((input as Added['rules']).rule)!;
      return { rule: rule.name, params: rule.params.parse({}), fields: {} };
    }
    case 'route':
      return stepSchema.parse({ ...(input as Added['route']), assignee: { type: 'authorUnitHead' } });
    case 'followUps':
      return followUpSchema.parse(input);
    case 'tenantParameters': {
      const p = input as Added['tenantParameters'];
      return tenantParameterSchema.parse(p.type === 'position' ? { name: p.name, type: p.type, label: p.label } : p);
    }
    default:
      return computedSchema.parse(input);
  }
}

// ---------------------------------------------------------------------------------------------
// Submissions

/** A nested payload back to form entries, for conform to parse as it parses a browser's form. */
function entries(value: unknown, name: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') out.push([name, value]);
  else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) for (const v of value) out.push([name, v]);
    else value.forEach((v, i) => entries(v, `${name}[${i}]`, out));
  } else if (isObject(value)) for (const [k, v] of Object.entries(value)) entries(v, name ? `${name}.${k}` : k, out);
  return out;
}

/** Removes or swaps an item of a list in the submitted values; a stale index changes nothing. */
function moveItem(payload: FormValues, path: ItemPath, intent: 'remove' | 'up' | 'down'): void {
  const listPath = path.slice(0, -1);
  const index = path[path.length - 1] as number;
  let list: unknown = payload;
  for (const seg of listPath) list = isObject(list) || Array.isArray(list) ? (list as Record<string | number, unknown>)[seg] : undefined;
  if (!Array.isArray(list) || index >= list.length) return;
  if (intent === 'remove') list.splice(index, 1);
  else {
    const to = intent === 'up' ? index - 1 : index + 1;
    if (to >= 0 && to < list.length) [list[index], list[to]] = [list[to], list[index]];
  }
}

/** What the editor writes into the draft, and where the page should come back to. */
export type EditorSubmission =
  | { readonly ok: true; readonly definition: Record<string, unknown>; readonly anchor: string; readonly values: FormValues }
  | { readonly ok: false; readonly reply: SubmissionResult<string[]>; readonly anchor: string; readonly values: FormValues };

/** The part of the form every intent needs: the nested values, without conform's reserved names. */
export function formValues(formData: FormData): FormValues {
  const safe = new URLSearchParams();
  // NUL has no place in text and PostgreSQL refuses it in JSON, so it never gets that far.
  for (const [k, v] of formData) if (typeof v === 'string' && k !== '__intent__' && k !== '__state__' && k !== 'intent') safe.append(k, v.replaceAll('\u0000', ''));
  return parseWithZod(safe, { schema: z.unknown() }).payload as FormValues;
}

/** The section or item a page comes back to after an intent (for `add`, the new last item). */
function anchorAfter(intent: EditorIntent, values: Record<string, unknown>): string {
  switch (intent.type) {
    case 'save':
      return sectionId(intent.section);
    case 'add':
      return itemId(intent.list, Array.isArray(values[intent.list]) ? (values[intent.list] as unknown[]).length - 1 : 0);
    default: {
      const [list, index] = intent.path;
      if (intent.path.length === 4) return itemId('fields', index);
      if (intent.type === 'remove') return sectionId(list);
      return itemId(list, intent.type === 'up' ? Math.max(0, index - 1) : index + 1);
    }
  }
}

/**
 * Applies an intent to the submitted form and checks the result. On success, the managed parts
 * of the definition (merged over the stored draft by the caller); otherwise a conform reply with
 * the values as typed (after the intent) and a translated error beside each input.
 */
export function parseEditorSubmission(
  formData: FormData,
  intent: EditorIntent,
  options: { locale: Locale; templateKey: string },
): EditorSubmission {
  const values = formValues(formData);
  if (intent.type === 'remove' || intent.type === 'up' || intent.type === 'down') moveItem(values, intent.path, intent.type);
  const schema = z.object({
    ...editorShape,
    ...(intent.type === 'add' ? { add: z.object({ [intent.list]: addSchemas[intent.list] }) } : {}),
  });
  const submission = parseWithZod(new URLSearchParams(entries(values, '', [])), { schema, formatError: (issues: z.core.$ZodIssue[]) => issues });
  if (submission.status === 'success') {
    const { add, ...parts } = submission.value as typeof submission.value & { add?: Record<string, unknown> };
    const definition: Record<string, unknown> = { ...parts };
    if (intent.type === 'add' && add) {
      definition[intent.list] = [...(parts[intent.list] as unknown[]), newItem(intent.list, add[intent.list] as never, options.templateKey)];
    }
    return { ok: true, definition, anchor: anchorAfter(intent, definition), values };
  }
  const issues = Object.values(submission.error ?? {}).flatMap((x) => x ?? []);
  const error: Record<string, string[]> = {};
  for (const problem of schemaProblems(stripBlank(values), issues)) {
    const name = inputName(problem.path);
    (error[name] ??= []).push(formatMessage(options.locale, problem.code, problem.params));
  }
  return { ok: false, reply: { status: 'error', initialValue: values as SubmissionResult<string[]>['initialValue'], error }, anchor: anchorAfter(intent, values), values };
}

/** Blank inputs as absent, so a problem in one reads "required" rather than "not valid". */
function stripBlank(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) return value.map(stripBlank);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripBlank(v)]));
  return value;
}

/** The stored draft with the editor's parts replaced; other parts (an aggregate) stay. */
export function mergeDraft(stored: unknown, parts: Record<string, unknown>): Record<string, unknown> {
  const base = isObject(stored) ? { ...stored } : {};
  for (const k of MANAGED) delete base[k];
  return Object.fromEntries(Object.entries({ ...base, ...parts }).filter(([, v]) => v !== undefined));
}

/**
 * The preview of a draft that may not parse as a whole: every field and computed value that
 * parses on its own, and the names of those that do not (yet).
 */
export function previewOf(definition: unknown, locale: Locale): { fields: FieldDescriptor[]; computed: ComputedDescriptor[]; incomplete: string[] } {
  const def = isObject(definition) ? definition : {};
  const incomplete: string[] = [];
  const parsed = <T>(items: unknown, schema: z.ZodType<T>): T[] =>
    (Array.isArray(items) ? items : []).flatMap((item, i) => {
      const r = schema.safeParse(item);
      if (r.success) return [r.data];
      incomplete.push(isObject(item) && typeof item.name === 'string' && item.name ? item.name : `#${i + 1}`);
      return [];
    });
  const fields = parsed(def.fields, fieldSchema);
  const computed = parsed(def.computed, computedSchema);
  // Descriptors only read fields and computed values; the rest stands in for a whole definition.
  const standIn: TemplateVersion = templateVersionSchema.parse({
    key: 'preview',
    version: 1,
    title: { 'sr-Cyrl': '-', en: '-' },
    category: 'preview',
    classification: '0',
    fields: [{ name: 'x', type: 'checkbox', label: { 'sr-Cyrl': '-', en: '-' } }],
    route: [{ id: 'x', kind: 'approve', label: { 'sr-Cyrl': '-', en: '-' }, assignee: { type: 'authorUnitHead' } }],
  });
  const stand = { ...standIn, fields, computed };
  return { fields: fieldDescriptors(stand, locale), computed: computedDescriptors(stand, locale), incomplete };
}
