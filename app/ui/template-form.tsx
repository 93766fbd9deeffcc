import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../i18n/resources';
import { formatNumber } from '../i18n/format';
import { displayComputedValue, displayScalar } from '../workflow/documents/format';
import type { ComputedDescriptor, FieldDescriptor } from '../workflow/template/form';
import { useLocale } from './localized';

/**
 * The inputs of a template's form, as staff see them: one labelled control per field
 * descriptor, with its help, its limits as HTML constraints (so the browser and the server
 * refuse the same values), its errors beside it, and computed values shown read-only.
 *
 * It renders controls only — the caller owns the `<form>`, its submit button and the error
 * summary. Three ways to use it:
 * - inside a conform form: pass `conform={fields}` (from `useForm`); names, ids, the values to
 *   show and the errors come from conform's metadata;
 * - inside a plain form: pass `values` and `errors` by field name;
 * - as a preview (`preview`): controls get no `name`, so nothing is ever submitted.
 */

export interface ChoiceOption {
  readonly id: string;
  readonly label: string;
}

/** What TemplateFields reads from a conform field's metadata (a subset of `FieldMetadata`). */
export interface FieldControlState {
  readonly id?: string;
  readonly name?: string;
  readonly formId?: string;
  readonly key?: string | number;
  readonly initialValue?: unknown;
  readonly errors?: readonly string[];
}

export interface TemplateFieldsProps {
  /** The fields to render, in order: `fieldDescriptors(def, locale)`, for a step usually only its editable ones. */
  readonly fields: readonly FieldDescriptor[];
  /** Inside a conform form: its fields metadata (`fields` from `useForm`), looked up by field name. */
  readonly conform?: { readonly [name: string]: FieldControlState | undefined };
  /** Without conform: the value to show per field (a form string, or strings for several ids). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Without conform: translated errors per field name. */
  readonly errors?: Readonly<Record<string, readonly string[] | undefined>>;
  /** The tenant's members a `staff` field may name (already filtered by the field's role, if any). */
  readonly staff?: readonly ChoiceOption[];
  /** The tenant's organisational units. */
  readonly orgUnits?: readonly ChoiceOption[];
  /** Per `document` field, the documents it may link to. */
  readonly documents?: Readonly<Record<string, readonly ChoiceOption[]>>;
  /** Fields shown with their value but not editable here (filled at another step); never submitted. */
  readonly readOnly?: readonly string[];
  /** Computed values, shown read-only after the fields. */
  readonly computed?: readonly ComputedDescriptor[];
  /** Current computed values as decimal strings (`computeValues`); absent ones show as not yet computed. */
  readonly computedValues?: Readonly<Record<string, string | undefined>>;
  /** What each computed amount is made of ('6,50 × 650,00 дин. × 26 %'), by computed name. */
  readonly computedBasis?: Readonly<Record<string, string | undefined>>;
  /** Prefix of element ids when conform does not give them, so two renderings can share a page. */
  readonly idPrefix?: string;
  /** The language of the component's own words (required, choose …); the page's language by default. */
  readonly locale?: Locale;
  /** A preview: controls have no name and submit nothing. */
  readonly preview?: boolean;
}


const INPUT_TYPE: Partial<Record<FieldDescriptor['type'], string>> = {
  text: 'text',
  number: 'number',
  decimal: 'number',
  money: 'number',
  date: 'date',
  time: 'time',
  datetime: 'datetime-local',
  month: 'month',
};

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

interface Control {
  id: string;
  name: string | undefined;
  form: string | undefined;
  key: string | number | undefined;
  value: string[];
  errors: readonly string[];
}

export function TemplateFields(props: TemplateFieldsProps) {
  const { t } = useTranslation();
  const pageLocale = useLocale();
  const locale = props.locale ?? pageLocale;
  // In the page's own language, a text without parameters is asked for without options (the
  // components' `t` answers those from memory: app/i18n/fixed-t.ts); another language, named.
  const tr = (key: string, params?: Record<string, unknown>) =>
    locale === pageLocale ? (params ? t(`catalog.form.${key}`, params) : t(`catalog.form.${key}`)) : t(`catalog.form.${key}`, { ...params, lng: locale });
  const number = (n: number, digits?: number) => formatNumber(n, locale, digits);
  const readOnly = new Set(props.readOnly ?? []);

  const control = (name: string): Control => {
    const meta = props.conform?.[name];
    return {
      id: meta?.id ?? `${props.idPrefix ?? 'field-'}${name}`,
      name: props.preview ? undefined : (meta?.name ?? name),
      form: meta?.formId,
      key: meta?.key,
      value: asStrings(meta ? meta.initialValue : props.values?.[name]),
      errors: (meta ? meta.errors : props.errors?.[name]) ?? [],
    };
  };

  const choicesOf = (field: FieldDescriptor): readonly ChoiceOption[] => {
    switch (field.type) {
      case 'select':
        return (field.options ?? []).map((o) => ({ id: o.value, label: o.label }));
      case 'staff':
        return props.staff ?? [];
      case 'orgUnit':
        return props.orgUnits ?? [];
      case 'document':
        return props.documents?.[field.name] ?? [];
      default:
        return [];
    }
  };

  /** Limits in words, for those who cannot see what the browser would refuse. */
  const hint = (field: FieldDescriptor): string | undefined => {
    const c = field.constraints;
    if (field.type === 'attachment') {
      return tr('files', { count: c.maxFiles ?? 1, size: number(c.maxSizeMb ?? 0), types: (c.accept ?? []).join(', ') });
    }
    if (c.maxLength !== undefined) {
      return c.minLength ? tr('lengthRange', { min: c.minLength, max: c.maxLength }) : tr('lengthMax', { max: c.maxLength });
    }
    const digits = field.type === 'money' ? 2 : undefined;
    if (c.min !== undefined && c.max !== undefined) return tr('range', { min: number(c.min, digits), max: number(c.max, digits) });
    if (c.min !== undefined) return tr('min', { min: number(c.min, digits) });
    if (c.max !== undefined) return tr('max', { max: number(c.max, digits) });
    return undefined;
  };

  const renderField = (field: FieldDescriptor): ReactNode => {
    const c = control(field.name);
    // A read-only field shows its value only: none of the editing aids below.
    if (readOnly.has(field.name)) {
      const choices = choicesOf(field);
      const shown = c.value.map((v) =>
        field.type === 'checkbox' ? (v === 'on' || v === 'true' ? tr('yes') : tr('no')) : (choices.find((o) => o.id === v)?.label ?? displayScalar(field.type, v, locale)),
      );
      return (
        <div className="field field--readonly" key={field.name}>
          <span className="field__label">{field.label}</span>
          <span className="field__value">{shown.length ? shown.join(', ') : '—'}</span>
        </div>
      );
    }

    const helpId = `${c.id}-help`;
    const hintText = hint(field);
    const hintId = `${c.id}-hint`;
    const errorId = `${c.id}-error`;
    const describedBy =
      [c.errors.length ? errorId : null, field.help ? helpId : null, hintText ? hintId : null].filter(Boolean).join(' ') || undefined;
    const aria = { id: c.id, 'aria-invalid': c.errors.length ? (true as const) : undefined, 'aria-describedby': describedBy };
    const common = { ...aria, name: c.name, form: c.form, required: field.required || undefined };
    const label = (
      <>
        {field.label}
        {field.required ? <span className="field__required"> ({tr('required')})</span> : null}
      </>
    );
    const notes = (
      <>
        {field.help ? (
          <span id={helpId} className="field__help">
            {field.help}
          </span>
        ) : null}
        {hintText ? (
          <span id={hintId} className="field__help">
            {hintText}
          </span>
        ) : null}
        {c.errors.length ? (
          <span id={errorId} className="field__error">
            {c.errors.join(' ')}
          </span>
        ) : null}
      </>
    );

    if (field.type === 'checkbox') {
      return (
        <div className="field field--checkbox" key={field.name}>
          <input type="checkbox" {...common} key={c.key} defaultChecked={c.value[0] === 'on' || c.value[0] === 'true'} />
          <label htmlFor={c.id}>{label}</label>
          {notes}
        </div>
      );
    }

    let input: ReactNode;
    const cons = field.constraints;
    switch (field.type) {
      case 'textarea':
        input = <textarea {...common} key={c.key} rows={4} minLength={cons.minLength} maxLength={cons.maxLength} defaultValue={c.value[0]} />;
        break;
      case 'select':
      case 'staff':
      case 'orgUnit':
      case 'document':
        input = (
          <select {...common} key={c.key} defaultValue={c.value[0] ?? ''}>
            <option value="">{tr('choose')}</option>
            {choicesOf(field).map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        );
        break;
      case 'attachment':
        input = <input {...common} key={c.key} type="file" accept={cons.accept?.join(',')} multiple={(cons.maxFiles ?? 1) > 1 || undefined} />;
        break;
      default:
        input = (
          <input
            {...common}
            key={c.key}
            type={INPUT_TYPE[field.type] ?? 'text'}
            minLength={cons.minLength}
            maxLength={cons.maxLength}
            pattern={cons.pattern}
            min={cons.min}
            max={cons.max}
            step={cons.step}
            inputMode={field.type === 'number' ? 'numeric' : field.type === 'decimal' || field.type === 'money' ? 'decimal' : undefined}
            defaultValue={c.value[0]}
          />
        );
    }
    return (
      <div className="field" key={field.name}>
        <label htmlFor={c.id}>{label}</label>
        {notes}
        {input}
      </div>
    );
  };

  const renderComputed = (computed: ComputedDescriptor): ReactNode => {
    const id = `${props.idPrefix ?? 'field-'}${computed.name}`;
    const value = props.computedValues?.[computed.name];
    const shown = value === undefined ? tr('notComputed') : displayComputedValue(computed, value, locale, '');
    const basis = value === undefined ? undefined : props.computedBasis?.[computed.name];
    return (
      <div className="field field--computed" key={computed.name}>
        <span className="field__label" id={`${id}-label`}>
          {computed.label}
        </span>
        <output id={id} aria-labelledby={`${id}-label`} aria-describedby={`${id}-help`} className="field__value">
          {shown}
          {basis ? <small className="field__basis"> = {basis}</small> : null}
        </output>
        <span id={`${id}-help`} className="field__help">
          {computed.help ? `${computed.help} ` : ''}
          {tr('computedHint')}
        </span>
      </div>
    );
  };

  return (
    <>
      {props.fields.map(renderField)}
      {props.computed?.map(renderComputed)}
    </>
  );
}
