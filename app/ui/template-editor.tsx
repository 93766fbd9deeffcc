import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toLatin } from '../i18n/transliterate';
import { intentValue, inputId, itemId, type EditorIntent, type EditorList } from '../workflow/publishing/editor-names';
import type { RuleParamInput } from '../workflow/publishing/editor-form';
import { STANDARD_ROLES } from '../workflow/template/roles';
import {
  COMPUTED_KINDS,
  DOCUMENT_STATES,
  FIELD_TYPES,
  NUMERIC_PARAMETER_TYPES,
  ROUNDING_MODES,
  STEP_KINDS,
} from '../workflow/template/schema';

/**
 * The inputs of the structured template editor. Every input is uncontrolled: its name is a
 * path into the definition and its first value comes from the draft (or from what was just
 * submitted, when a save was refused). A choice that changes which inputs a card has (a
 * field's type, a step's assignee) switches them at once with JavaScript and after a save
 * without it.
 */

export interface EditorState {
  /** The value an input starts with. */
  value(name: string): string | undefined;
  /** The values of a group of checkboxes (or a list). */
  values(name: string): string[];
  /** How many items a list has. */
  count(name: string): number;
  /** Translated errors beside an input. */
  errors(name: string): readonly string[] | undefined;
}

export interface RuleChoice {
  name: string;
  description: string;
  params: RuleParamInput[];
  slots: { name: string; optional: boolean; default: string }[];
}

export interface CatalogChoice {
  key: string;
  title: string;
  fields: { name: string; type: string; label: string; template?: string }[];
}

export interface EditorChoices {
  templateKey: string;
  rules: RuleChoice[];
  catalog: CatalogChoice[];
}

type Option = { value: string; label: string };

function describedBy(...ids: (string | false | 0 | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

function Notes({ id, help, errors }: { id: string; help?: string; errors?: readonly string[] }) {
  return (
    <>
      {help ? (
        <span id={`${id}-help`} className="field__help">
          {help}
        </span>
      ) : null}
      {errors?.length ? (
        <span id={`${id}-error`} className="field__error">
          {errors.join(' ')}
        </span>
      ) : null}
    </>
  );
}

interface InputProps {
  s: EditorState;
  name: string;
  label: string;
  help?: string;
  required?: boolean;
}

export function TextInput({ s, name, label, help, required, type = 'text', inputMode, step, placeholder }: InputProps & { type?: string; inputMode?: 'numeric' | 'decimal'; step?: string; placeholder?: string }) {
  const id = inputId(name);
  const errors = s.errors(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Notes id={id} help={help} errors={errors} />
      <input
        id={id}
        name={name}
        type={type}
        step={step}
        inputMode={inputMode}
        placeholder={placeholder}
        defaultValue={s.value(name)}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(errors?.length && `${id}-error`, help && `${id}-help`)}
      />
    </div>
  );
}

export function NumberInput(props: InputProps & { integer?: boolean }) {
  return <TextInput {...props} inputMode={props.integer ? 'numeric' : 'decimal'} />;
}

export function SelectInput({ s, name, label, help, options, blankLabel, onChange }: InputProps & { options: Option[]; blankLabel?: string; onChange?: (value: string) => void }) {
  const id = inputId(name);
  const errors = s.errors(name);
  const current = s.value(name) ?? '';
  // A stored value the choices no longer offer stays visible rather than silently changing.
  const all = current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Notes id={id} help={help} errors={errors} />
      <select
        id={id}
        name={name}
        defaultValue={current}
        onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(errors?.length && `${id}-error`, help && `${id}-help`)}
      >
        {blankLabel !== undefined ? <option value="">{blankLabel}</option> : null}
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxInput({ s, name, label, help, value = 'on', onChange }: InputProps & { value?: string; onChange?: (checked: boolean) => void }) {
  const id = inputId(name);
  const errors = s.errors(name);
  return (
    <div className="field field--checkbox">
      <input
        type="checkbox"
        id={id}
        name={name}
        value={value}
        defaultChecked={s.value(name) === value}
        onChange={onChange ? (e) => onChange(e.currentTarget.checked) : undefined}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(errors?.length && `${id}-error`, help && `${id}-help`)}
      />
      <label htmlFor={id}>{label}</label>
      <Notes id={id} help={help} errors={errors} />
    </div>
  );
}

export function CheckboxGroup({
  s,
  name,
  legend,
  options,
  help,
  unknown = (v) => v,
}: {
  s: EditorState;
  name: string;
  legend: string;
  options: Option[];
  help?: string;
  /** How a ticked value the choices no longer offer is labelled (it stays, so it can be unticked). */
  unknown?: (value: string) => string;
}) {
  const id = inputId(name);
  const errors = s.errors(name);
  const checked = new Set(s.values(name));
  const all = [...options, ...[...checked].filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: unknown(v) }))];
  return (
    <fieldset className="field checkbox-group" id={id} tabIndex={-1} aria-describedby={describedBy(errors?.length && `${id}-error`, help && `${id}-help`)}>
      <legend>{legend}</legend>
      <Notes id={id} help={help} errors={errors} />
      {all.map((o, i) => (
        <div className="field--checkbox" key={o.value}>
          <input type="checkbox" id={`${id}-${i}`} name={name} value={o.value} defaultChecked={checked.has(o.value)} />
          <label htmlFor={`${id}-${i}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** The three language forms of one label; the Latin one may stay blank and is then derived. */
export function LabelInputs({ s, name, what, required = true }: { s: EditorState; name: string; what: string; required?: boolean }) {
  const { t } = useTranslation();
  const cyrl = s.value(`${name}.sr-Cyrl`);
  const label = (lang: string) => t('catalog.editor.labelIn', { what, lang: t(`catalog.editor.lang.${lang}`) });
  return (
    <div className="label-inputs">
      <TextInput s={s} name={`${name}.sr-Cyrl`} label={label('sr-Cyrl')} required={required} />
      <TextInput
        s={s}
        name={`${name}.sr-Latn`}
        label={label('sr-Latn')}
        help={cyrl ? t('catalog.editor.latinDerived', { derived: toLatin(cyrl) }) : t('catalog.editor.latinHelp')}
      />
      <TextInput s={s} name={`${name}.en`} label={label('en')} required={required} />
    </div>
  );
}

export function IntentButton({ intent, children, context, className = 'button secondary' }: { intent: EditorIntent; children: ReactNode; context?: string; className?: string }) {
  return (
    <button type="submit" name="intent" value={intentValue(intent)} className={className}>
      {children}
      {context ? <span className="visually-hidden"> — {context}</span> : null}
    </button>
  );
}

function ItemActions({ list, index, count, name, path }: { list: EditorList; index: number; count: number; name: string; path?: ['fields', number, 'options', number] }) {
  const { t } = useTranslation();
  const at = path ?? ([list, index] as [EditorList, number]);
  return (
    <div className="actions item-actions">
      {index > 0 ? (
        <IntentButton intent={{ type: 'up', path: at }} context={name}>
          {t('catalog.editor.moveUp')}
        </IntentButton>
      ) : null}
      {index < count - 1 ? (
        <IntentButton intent={{ type: 'down', path: at }} context={name}>
          {t('catalog.editor.moveDown')}
        </IntentButton>
      ) : null}
      <IntentButton intent={{ type: 'remove', path: at }} context={name} className="button danger">
        {t('catalog.editor.remove')}
      </IntentButton>
    </div>
  );
}

function ItemCard({ list, index, legend, children }: { list: EditorList; index: number; legend: string; children: ReactNode }) {
  return (
    <fieldset className="card item-card" id={itemId(list, index)} tabIndex={-1}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

export function SaveButton({ section }: { section: EditorIntent & { type: 'save' } }) {
  const { t } = useTranslation();
  return (
    <p className="actions">
      <IntentButton intent={section} className="primary" context={t(`catalog.editor.sections.${section.section}`)}>
        {t('catalog.editor.save')}
      </IntentButton>
    </p>
  );
}

const ADD_LEGEND: Record<EditorList, string> = {
  fields: 'field',
  computed: 'computed',
  rules: 'rules',
  route: 'route',
  followUps: 'followUps',
  tenantParameters: 'parameters',
};

function AddCard({ list, children }: { list: EditorList; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <fieldset className="card add-card" id={`add-${list}`}>
      <legend>{t(`catalog.editor.${ADD_LEGEND[list]}.addLegend`)}</legend>
      {children}
    </fieldset>
  );
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// ---------------------------------------------------------------------------------------------

export function GeneralSection({ s, templateKey }: { s: EditorState; templateKey: string }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        {t('catalog.editor.general.key')}: <code>{templateKey}</code>
      </p>
      <LabelInputs s={s} name="title" what={t('catalog.editor.general.title')} />
      <LabelInputs s={s} name="description" what={t('catalog.editor.general.description')} required={false} />
      <TextInput s={s} name="category" label={t('catalog.editor.general.category')} help={t('catalog.editor.general.categoryHelp')} required />
      <TextInput s={s} name="classification" label={t('catalog.editor.general.classification')} help={t('catalog.editor.general.classificationHelp')} required />
      <SaveButton section={{ type: 'save', section: 'general' }} />
    </>
  );
}

const ASSIGNEE_TYPES = ['authorUnitHead', 'role', 'unitRole', 'position', 'staffField'] as const;

const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];

function FieldCard({ s, i, choices }: { s: EditorState; i: number; choices: EditorChoices }) {
  const { t } = useTranslation();
  const p = `fields[${i}]`;
  const [type, setType] = useState(s.value(`${p}.type`) ?? 'text');
  const name = s.value(`${p}.name`) ?? '';
  const steps = range(s.count('route')).map((k) => ({ id: s.value(`route[${k}].id`) ?? '', label: s.value(`route[${k}].label.sr-Cyrl`) ?? '', n: k + 1 }));
  const optionCount = s.count(`${p}.options`);
  const types = FIELD_TYPES.map((x) => ({ value: x, label: t(`catalog.editor.types.${x}`) }));
  const f = (key: string) => t(`catalog.editor.field.${key}`);
  return (
    <ItemCard list="fields" index={i} legend={t('catalog.editor.field.legend', { n: i + 1, name })}>
      <div className="grid-2">
        <TextInput s={s} name={`${p}.name`} label={f('name')} help={f('nameHelp')} required />
        <SelectInput s={s} name={`${p}.type`} label={f('type')} options={types} onChange={setType} />
      </div>
      <LabelInputs s={s} name={`${p}.label`} what={f('label')} />
      <LabelInputs s={s} name={`${p}.help`} what={f('help')} required={false} />
      <CheckboxInput s={s} name={`${p}.required`} label={f('required')} />
      <CheckboxGroup
        s={s}
        name={`${p}.editableAt`}
        legend={f('editableAt')}
        options={[
          { value: 'draft', label: f('author') },
          ...steps.filter((x) => x.id && s.value(`route[${x.n - 1}].kind`) === 'prepare').map((x) => ({ value: x.id, label: t('catalog.editor.field.step', { n: x.n, label: x.label || x.id }) })),
        ]}
        unknown={(id) => {
          const step = steps.find((x) => x.id === id);
          return step ? t('catalog.editor.field.step', { n: step.n, label: step.label || step.id }) : t('catalog.editor.field.unknownStep', { id });
        }}
      />
      {type === 'text' || type === 'textarea' ? (
        <div className="grid-2">
          <NumberInput s={s} name={`${p}.minLength`} label={f('minLength')} integer />
          <NumberInput s={s} name={`${p}.maxLength`} label={f('maxLength')} integer />
        </div>
      ) : null}
      {type === 'text' ? <TextInput s={s} name={`${p}.pattern`} label={f('pattern')} help={f('patternHelp')} /> : null}
      {type === 'number' || type === 'decimal' || type === 'money' ? (
        <div className="grid-2">
          <NumberInput s={s} name={`${p}.min`} label={f('min')} integer={type === 'number'} />
          <NumberInput s={s} name={`${p}.max`} label={f('max')} integer={type === 'number'} />
        </div>
      ) : null}
      {type === 'decimal' ? <NumberInput s={s} name={`${p}.scale`} label={f('scale')} integer /> : null}
      {type === 'select' ? (
        <fieldset className="field options" id={inputId(`${p}.options`)} tabIndex={-1}>
          <legend>{f('options')}</legend>
          <Notes id={inputId(`${p}.options`)} errors={s.errors(`${p}.options`)} />
          {range(optionCount + 1).map((j) => {
            const o = `${p}.options[${j}]`;
            const isNew = j === optionCount;
            const heading = isNew ? f('newOption') : t('catalog.editor.field.option', { n: j + 1 });
            return (
              <div className="option-row" key={j} role="group" aria-label={heading}>
                <p className="option-row__title">{heading}</p>
                <TextInput s={s} name={`${o}.value`} label={f('optionValue')} help={j === 0 ? f('optionValueHelp') : undefined} />
                <LabelInputs s={s} name={`${o}.label`} what={f('label')} required={false} />
                {isNew ? null : <ItemActions list="fields" index={j} count={optionCount} name={`${name} › ${s.value(`${o}.value`) ?? j + 1}`} path={['fields', i, 'options', j]} />}
              </div>
            );
          })}
        </fieldset>
      ) : null}
      {type === 'staff' ? (
        <>
          <SelectInput
            s={s}
            name={`${p}.role`}
            label={f('role')}
            blankLabel={f('anyRole')}
            options={STANDARD_ROLES.map((r) => ({ value: r, label: `${t(`roles.${r}`)} (${r})` }))}
          />
          <CheckboxInput s={s} name={`${p}.default`} value="author" label={f('defaultAuthor')} />
        </>
      ) : null}
      {type === 'orgUnit' ? <CheckboxInput s={s} name={`${p}.default`} value="authorUnit" label={f('defaultAuthorUnit')} /> : null}
      {type === 'document' ? (
        <>
          <SelectInput
            s={s}
            name={`${p}.template`}
            label={f('template')}
            options={[{ key: choices.templateKey, title: '' }, ...choices.catalog].map((c) => ({ value: c.key, label: c.title ? `${c.title} (${c.key})` : c.key }))}
          />
          <CheckboxGroup s={s} name={`${p}.status`} legend={f('status')} options={DOCUMENT_STATES.map((x) => ({ value: x, label: t(`catalog.editor.documentStates.${x}`) }))} />
        </>
      ) : null}
      {type === 'attachment' ? (
        <>
          <div className="grid-2">
            <NumberInput s={s} name={`${p}.maxFiles`} label={f('maxFiles')} integer />
            <NumberInput s={s} name={`${p}.maxSizeMb`} label={f('maxSizeMb')} />
          </div>
          <CheckboxGroup s={s} name={`${p}.accept`} legend={f('accept')} options={ATTACHMENT_TYPES.map((x) => ({ value: x, label: x }))} />
        </>
      ) : null}
      <ItemActions list="fields" index={i} count={s.count('fields')} name={name} />
    </ItemCard>
  );
}

export function FieldsSection({ s, choices }: { s: EditorState; choices: EditorChoices }) {
  const { t } = useTranslation();
  const f = (key: string) => t(`catalog.editor.field.${key}`);
  return (
    <>
      {s.count('fields') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      {range(s.count('fields')).map((i) => (
        <FieldCard key={i} s={s} i={i} choices={choices} />
      ))}
      <AddCard list="fields">
        <div className="grid-2">
          <TextInput s={s} name="add.fields.name" label={f('name')} help={f('nameHelp')} />
          <SelectInput s={s} name="add.fields.type" label={f('type')} options={FIELD_TYPES.map((x) => ({ value: x, label: t(`catalog.editor.types.${x}`) }))} />
        </div>
        <LabelInputs s={s} name="add.fields.label" what={f('label')} required={false} />
        <IntentButton intent={{ type: 'add', list: 'fields' }}>{f('add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'fields' }} />
    </>
  );
}

export function ComputedSection({ s }: { s: EditorState }) {
  const { t } = useTranslation();
  const c = (key: string) => t(`catalog.editor.computed.${key}`);
  const kinds = COMPUTED_KINDS.map((k) => ({ value: k, label: t(`catalog.editor.computed.kinds.${k}`) }));
  const modes = ROUNDING_MODES.map((m) => ({ value: m, label: t(`catalog.editor.computed.modes.${m}`) }));
  return (
    <>
      {s.count('computed') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      {range(s.count('computed')).map((i) => {
        const p = `computed[${i}]`;
        const name = s.value(`${p}.name`) ?? '';
        return (
          <ItemCard key={i} list="computed" index={i} legend={t('catalog.editor.computed.legend', { n: i + 1, name })}>
            <div className="grid-2">
              <TextInput s={s} name={`${p}.name`} label={c('name')} help={t('catalog.editor.field.nameHelp')} required />
              <SelectInput s={s} name={`${p}.kind`} label={c('kind')} options={kinds} />
            </div>
            <LabelInputs s={s} name={`${p}.label`} what={t('catalog.editor.field.label')} />
            <LabelInputs s={s} name={`${p}.help`} what={t('catalog.editor.field.help')} required={false} />
            <TextInput s={s} name={`${p}.expression`} label={c('expression')} help={c('expressionHelp')} required />
            <div className="grid-2">
              <NumberInput s={s} name={`${p}.rounding.decimals`} label={c('decimals')} help={c('roundingHelp')} integer />
              <SelectInput s={s} name={`${p}.rounding.mode`} label={c('mode')} options={modes} blankLabel="—" />
            </div>
            <ItemActions list="computed" index={i} count={s.count('computed')} name={name} />
          </ItemCard>
        );
      })}
      <AddCard list="computed">
        <div className="grid-2">
          <TextInput s={s} name="add.computed.name" label={c('name')} />
          <SelectInput s={s} name="add.computed.kind" label={c('kind')} options={kinds} />
        </div>
        <LabelInputs s={s} name="add.computed.label" what={t('catalog.editor.field.label')} required={false} />
        <TextInput s={s} name="add.computed.expression" label={c('expression')} help={c('expressionHelp')} />
        <IntentButton intent={{ type: 'add', list: 'computed' }}>{c('add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'computed' }} />
    </>
  );
}

/** What a rule input or a carried value may be connected to: fields, computed values, settings. */
function namesOf(s: EditorState): Option[] {
  const of = (list: string, key: string) =>
    range(s.count(list))
      .map((i) => s.value(`${list}[${i}].${key}`))
      .filter((n): n is string => !!n);
  return [...of('fields', 'name'), ...of('computed', 'name'), ...of('tenantParameters', 'name')].map((n) => ({ value: n, label: n }));
}

function RuleCard({ s, i, choices }: { s: EditorState; i: number; choices: EditorChoices }) {
  const { t } = useTranslation();
  const p = `rules[${i}]`;
  const stored = s.value(`${p}.rule`) ?? '';
  const [ruleName, setRuleName] = useState(stored);
  const rule = choices.rules.find((r) => r.name === ruleName);
  const r = (key: string) => t(`catalog.editor.rules.${key}`);
  return (
    <ItemCard list="rules" index={i} legend={t('catalog.editor.rules.legend', { n: i + 1, name: stored })}>
      <SelectInput s={s} name={`${p}.rule`} label={r('rule')} options={choices.rules.map((x) => ({ value: x.name, label: `${x.description} (${x.name})` }))} onChange={setRuleName} />
      {rule ? (
        <>
          {rule.params.length ? (
            <fieldset className="field">
              <legend>{r('params')}</legend>
              {rule.params.map((param) =>
                param.type === 'boolean' ? (
                  <CheckboxInput key={param.name} s={s} name={`${p}.params.${param.name}`} label={t(`catalog.editor.rules.param.${param.name}`, { defaultValue: param.name })} />
                ) : (
                  <NumberInput
                    key={param.name}
                    s={s}
                    name={`${p}.params.${param.name}`}
                    label={t(`catalog.editor.rules.param.${param.name}`, { defaultValue: param.name })}
                    help={[param.min, param.max].some((x) => x !== undefined) ? t('catalog.form.range', { min: param.min ?? '—', max: param.max ?? '—' }) : undefined}
                    integer={param.type === 'integer'}
                  />
                ),
              )}
            </fieldset>
          ) : null}
          <fieldset className="field">
            <legend>{r('inputs')}</legend>
            {rule.slots.map((slot) => (
              <SelectInput
                key={slot.name}
                s={s}
                name={`${p}.fields.${slot.name}`}
                label={t(`catalog.editor.rules.slot.${slot.name}`, { defaultValue: slot.name })}
                blankLabel={t('catalog.editor.rules.byName', { name: slot.default })}
                options={namesOf(s)}
              />
            ))}
          </fieldset>
        </>
      ) : (
        <p className="field__help">{r('changeRule')}</p>
      )}
      <ItemActions list="rules" index={i} count={s.count('rules')} name={stored} />
    </ItemCard>
  );
}

export function RulesSection({ s, choices }: { s: EditorState; choices: EditorChoices }) {
  const { t } = useTranslation();
  return (
    <>
      {s.count('rules') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      {range(s.count('rules')).map((i) => (
        <RuleCard key={i} s={s} i={i} choices={choices} />
      ))}
      <AddCard list="rules">
        <SelectInput
          s={s}
          name="add.rules.rule"
          label={t('catalog.editor.rules.rule')}
          options={choices.rules.map((x) => ({ value: x.name, label: `${x.description} (${x.name})` }))}
        />
        <IntentButton intent={{ type: 'add', list: 'rules' }}>{t('catalog.editor.rules.add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'rules' }} />
    </>
  );
}

function StepCard({ s, i }: { s: EditorState; i: number }) {
  const { t } = useTranslation();
  const p = `route[${i}]`;
  const [assignee, setAssignee] = useState(s.value(`${p}.assignee.type`) ?? 'authorUnitHead');
  const [kind, setKind] = useState(s.value(`${p}.kind`) ?? 'approve');
  const [quorum, setQuorum] = useState(s.value(`${p}.parallel.quorum`) ?? 'all');
  const id = s.value(`${p}.id`) ?? '';
  const r = (key: string) => t(`catalog.editor.route.${key}`);
  const staffFields = range(s.count('fields'))
    .filter((k) => s.value(`fields[${k}].type`) === 'staff')
    .map((k) => s.value(`fields[${k}].name`) ?? '')
    .filter(Boolean)
    .map((n) => ({ value: n, label: n }));
  return (
    <ItemCard list="route" index={i} legend={t('catalog.editor.route.legend', { n: i + 1, name: id })}>
      <div className="grid-2">
        <TextInput s={s} name={`${p}.id`} label={r('id')} help={r('idHelp')} required />
        <SelectInput s={s} name={`${p}.kind`} label={r('kind')} options={STEP_KINDS.map((k) => ({ value: k, label: t(`catalog.editor.route.kinds.${k}`) }))} onChange={setKind} />
      </div>
      <LabelInputs s={s} name={`${p}.label`} what={r('label')} />
      <fieldset className="field">
        <legend>{r('assignee')}</legend>
        <SelectInput
          s={s}
          name={`${p}.assignee.type`}
          label={r('assignee')}
          help={r('assigneeHelp')}
          options={ASSIGNEE_TYPES.map((k) => ({ value: k, label: t(`catalog.editor.route.assignees.${k}`) }))}
          onChange={setAssignee}
        />
        {assignee === 'role' || assignee === 'unitRole' ? (
          <SelectInput s={s} name={`${p}.assignee.role`} label={r('role')} blankLabel="—" options={STANDARD_ROLES.map((x) => ({ value: x, label: `${t(`roles.${x}`)} (${x})` }))} />
        ) : null}
        {assignee === 'position' ? <TextInput s={s} name={`${p}.assignee.position`} label={r('position')} help={r('positionHelp')} /> : null}
        {assignee === 'staffField' ? <SelectInput s={s} name={`${p}.assignee.field`} label={r('field')} blankLabel="—" options={staffFields} /> : null}
      </fieldset>
      <div className="grid-2">
        <TextInput s={s} name={`${p}.parallel.group`} label={r('parallel')} help={r('parallelHelp')} />
        <SelectInput s={s} name={`${p}.parallel.quorum`} label={r('quorum')} options={['all', 'any', 'n'].map((q) => ({ value: q, label: t(`catalog.editor.route.quorums.${q}`) }))} onChange={setQuorum} />
      </div>
      {quorum === 'n' ? <NumberInput s={s} name={`${p}.parallel.n`} label={r('quorumN')} integer /> : null}
      <TextInput s={s} name={`${p}.slaHours`} label={r('sla')} help={r('slaHelp')} />
      {kind === 'consult' ? <CheckboxInput s={s} name={`${p}.blocking`} label={r('blocking')} help={r('blockingHelp')} /> : null}
      <ItemActions list="route" index={i} count={s.count('route')} name={id} />
    </ItemCard>
  );
}

export function RouteSection({ s }: { s: EditorState }) {
  const { t } = useTranslation();
  const r = (key: string) => t(`catalog.editor.route.${key}`);
  return (
    <>
      {s.count('route') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      <ol className="plain step-list">
        {range(s.count('route')).map((i) => (
          <li key={i}>
            <StepCard s={s} i={i} />
          </li>
        ))}
      </ol>
      <AddCard list="route">
        <div className="grid-2">
          <TextInput s={s} name="add.route.id" label={r('id')} help={r('idHelp')} />
          <SelectInput s={s} name="add.route.kind" label={r('kind')} options={STEP_KINDS.map((k) => ({ value: k, label: t(`catalog.editor.route.kinds.${k}`) }))} />
        </div>
        <LabelInputs s={s} name="add.route.label" what={r('label')} required={false} />
        <IntentButton intent={{ type: 'add', list: 'route' }}>{r('add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'route' }} />
    </>
  );
}

export function NumberingSection({ s }: { s: EditorState }) {
  const { t } = useTranslation();
  const n = (key: string) => t(`catalog.editor.numbering.${key}`);
  return (
    <>
      <CheckboxInput s={s} name="numbering.register" label={n('register')} />
      <SelectInput s={s} name="numbering.at" label={n('at')} options={['final', 'submit'].map((a) => ({ value: a, label: t(`catalog.editor.numbering.ats.${a}`) }))} />
      <TextInput s={s} name="numbering.classification" label={n('classification')} help={n('classificationHelp')} />
      <SaveButton section={{ type: 'save', section: 'numbering' }} />
    </>
  );
}

function FollowUpCard({ s, i, choices }: { s: EditorState; i: number; choices: EditorChoices }) {
  const { t } = useTranslation();
  const p = `followUps[${i}]`;
  const stored = s.value(`${p}.template`) ?? '';
  const [key, setKey] = useState(stored);
  const target = choices.catalog.find((c) => c.key === key);
  const f = (k: string) => t(`catalog.editor.followUps.${k}`);
  return (
    <ItemCard list="followUps" index={i} legend={t('catalog.editor.followUps.legend', { n: i + 1, name: stored })}>
      <SelectInput s={s} name={`${p}.template`} label={f('template')} options={choices.catalog.map((c) => ({ value: c.key, label: `${c.title} (${c.key})` }))} onChange={setKey} />
      <div className="grid-2">
        <SelectInput s={s} name={`${p}.when`} label={f('when')} options={['approved', 'registered'].map((w) => ({ value: w, label: t(`catalog.editor.followUps.whens.${w}`) }))} />
        <SelectInput s={s} name={`${p}.mode`} label={f('mode')} options={['offer', 'createDraft'].map((m) => ({ value: m, label: t(`catalog.editor.followUps.modes.${m}`) }))} />
      </div>
      {target ? (
        <>
          <SelectInput
            s={s}
            name={`${p}.link`}
            label={f('link')}
            blankLabel={f('noLink')}
            options={target.fields.filter((x) => x.type === 'document' && x.template === choices.templateKey).map((x) => ({ value: x.name, label: `${x.label} (${x.name})` }))}
          />
          <fieldset className="field">
            <legend>{f('carry')}</legend>
            <p className="field__help">{f('carryHelp')}</p>
            {target.fields
              .filter((x) => x.type !== 'attachment')
              .map((x) => (
                <SelectInput key={x.name} s={s} name={`${p}.carry.${x.name}`} label={`${x.label} (${x.name})`} blankLabel={f('notCarried')} options={namesOf(s)} />
              ))}
          </fieldset>
        </>
      ) : (
        <p className="field__help">{f('saveToSeeFields')}</p>
      )}
      <ItemActions list="followUps" index={i} count={s.count('followUps')} name={stored} />
    </ItemCard>
  );
}

export function FollowUpsSection({ s, choices }: { s: EditorState; choices: EditorChoices }) {
  const { t } = useTranslation();
  const f = (k: string) => t(`catalog.editor.followUps.${k}`);
  return (
    <>
      {s.count('followUps') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      {range(s.count('followUps')).map((i) => (
        <FollowUpCard key={i} s={s} i={i} choices={choices} />
      ))}
      <AddCard list="followUps">
        <SelectInput s={s} name="add.followUps.template" label={f('template')} options={choices.catalog.map((c) => ({ value: c.key, label: `${c.title} (${c.key})` }))} />
        <div className="grid-2">
          <SelectInput s={s} name="add.followUps.when" label={f('when')} options={['approved', 'registered'].map((w) => ({ value: w, label: t(`catalog.editor.followUps.whens.${w}`) }))} />
          <SelectInput s={s} name="add.followUps.mode" label={f('mode')} options={['offer', 'createDraft'].map((m) => ({ value: m, label: t(`catalog.editor.followUps.modes.${m}`) }))} />
        </div>
        <IntentButton intent={{ type: 'add', list: 'followUps' }}>{f('add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'followUps' }} />
    </>
  );
}

function ParameterCard({ s, i }: { s: EditorState; i: number }) {
  const { t } = useTranslation();
  const p = `tenantParameters[${i}]`;
  const [type, setType] = useState(s.value(`${p}.type`) ?? 'number');
  const name = s.value(`${p}.name`) ?? '';
  const a = (k: string) => t(`catalog.editor.parameters.${k}`);
  return (
    <ItemCard list="tenantParameters" index={i} legend={t('catalog.editor.parameters.legend', { n: i + 1, name })}>
      <div className="grid-2">
        <TextInput s={s} name={`${p}.name`} label={a('name')} help={a('nameHelp')} required />
        <SelectInput s={s} name={`${p}.type`} label={a('type')} options={[...NUMERIC_PARAMETER_TYPES, 'position'].map((x) => ({ value: x, label: t(`catalog.editor.parameters.types.${x}`) }))} onChange={setType} />
      </div>
      <LabelInputs s={s} name={`${p}.label`} what={t('catalog.editor.field.label')} />
      <LabelInputs s={s} name={`${p}.help`} what={t('catalog.editor.field.help')} required={false} />
      {type === 'position' ? null : (
        <div className="grid-3">
          <NumberInput s={s} name={`${p}.default`} label={a('default')} integer={type === 'number'} required />
          <NumberInput s={s} name={`${p}.min`} label={a('min')} integer={type === 'number'} />
          <NumberInput s={s} name={`${p}.max`} label={a('max')} integer={type === 'number'} />
        </div>
      )}
      <ItemActions list="tenantParameters" index={i} count={s.count('tenantParameters')} name={name} />
    </ItemCard>
  );
}

export function ParametersSection({ s }: { s: EditorState }) {
  const { t } = useTranslation();
  const a = (k: string) => t(`catalog.editor.parameters.${k}`);
  return (
    <>
      {s.count('tenantParameters') === 0 ? <p>{t('catalog.editor.empty')}</p> : null}
      {range(s.count('tenantParameters')).map((i) => (
        <ParameterCard key={i} s={s} i={i} />
      ))}
      <AddCard list="tenantParameters">
        <div className="grid-2">
          <TextInput s={s} name="add.tenantParameters.name" label={a('name')} help={a('nameHelp')} />
          <SelectInput
            s={s}
            name="add.tenantParameters.type"
            label={a('type')}
            options={[...NUMERIC_PARAMETER_TYPES, 'position'].map((x) => ({ value: x, label: t(`catalog.editor.parameters.types.${x}`) }))}
          />
        </div>
        <LabelInputs s={s} name="add.tenantParameters.label" what={t('catalog.editor.field.label')} required={false} />
        <NumberInput s={s} name="add.tenantParameters.default" label={a('default')} help={a('numericOnly')} />
        <IntentButton intent={{ type: 'add', list: 'tenantParameters' }}>{a('add')}</IntentButton>
      </AddCard>
      <SaveButton section={{ type: 'save', section: 'tenantParameters' }} />
    </>
  );
}
