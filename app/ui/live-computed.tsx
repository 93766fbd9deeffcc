// Computed values recomputed in the browser as the user types, by the same code the server
// runs (compute.ts with its mathjs expressions, field-values.ts, basis.ts). The page is
// rendered with the server's values and works without JavaScript; the server recomputes
// whatever is saved, so these figures only ever show what it will store.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Locale } from '../i18n/resources';
import { moneyBasis, type BasisTemplate } from '../workflow/template/basis';
import { computeValues, type ComputingTemplate, type FieldValue, type TenantParameterValues } from '../workflow/template/compute';
import { parseFieldValue } from '../workflow/template/field-values';
import type { ComputedDescriptor } from '../workflow/template/form';
import { TemplateFields } from './template-form';

/** Field types that can enter an expression (compute.ts `expressionValue`). */
const COMPUTING_TYPES = new Set(['number', 'decimal', 'money', 'date', 'time', 'datetime', 'checkbox']);

export interface Computing extends BasisTemplate {
  /** The template's rules: a time span that may run past midnight computes as one continuous span. */
  rules: ComputingTemplate['rules'];
  parameterValues: TenantParameterValues;
}

export function LiveComputed(props: {
  computing: Computing;
  descriptors: readonly ComputedDescriptor[];
  /** The document's stored values: what the form does not hold (fields of other steps). */
  stored: Readonly<Record<string, unknown>>;
  initial: Readonly<Record<string, string | undefined>>;
  initialBasis: Readonly<Record<string, string | undefined>>;
  /**
   * The initial figures are what a save of the values the form was sent with would store: not
   * when the form shows other values (a refused form's), nor when the stored figures are not what
   * the stored values give today (a saved draft keeps values only; parameters since changed).
   */
  initialMatchesForm: boolean;
  locale: Locale;
  idPrefix: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [live, setLive] = useState<{ values: Record<string, string>; basis: Record<string, string> } | null>(null);
  const { computing, stored, locale, initialMatchesForm } = props;
  // One template object per page, so compute.ts parses each expression once.
  const def = useMemo(() => ({ fields: computing.fields, computed: computing.computed, rules: computing.rules, tenantParameters: computing.tenantParameters }), [computing]);
  useEffect(() => {
    const form = ref.current?.closest('form');
    if (!form) return;
    const recompute = () => {
      const data = new FormData(form);
      const values: Record<string, FieldValue> = { ...(stored as Record<string, FieldValue>) };
      for (const field of def.fields) {
        if (!COMPUTING_TYPES.has(field.type) || !form.elements.namedItem(field.name)) continue;
        const raw = data.get(field.name);
        const parsed = parseFieldValue(field, typeof raw === 'string' ? raw : undefined, false);
        if (parsed.ok && parsed.value !== undefined) values[field.name] = parsed.value;
        else delete values[field.name];
      }
      const computed = computeValues(def, { values, tenantParameters: computing.parameterValues });
      setLive({ values: computed, basis: moneyBasis(def, { values, computed, tenantParameters: computing.parameterValues }, locale) });
    };
    // The server's figures are those of the form as it was sent: recomputed (and mathjs built)
    // only once the form differs — as the user types, or at once if the browser restored what
    // they had typed before or they typed before the page's scripts ran — or when the figures
    // are not what a save would store (a refused form comes back with what was typed; a saved
    // draft's stored figures are not its values'; parameters changed since). Figures typed into
    // another document's form before do not stay.
    if (!initialMatchesForm || differsFromDefaults(form)) recompute();
    else setLive(null);
    form.addEventListener('input', recompute);
    form.addEventListener('change', recompute);
    return () => {
      form.removeEventListener('input', recompute);
      form.removeEventListener('change', recompute);
    };
  }, [def, stored, computing.parameterValues, locale, initialMatchesForm]);
  return (
    <div ref={ref} className="live-computed" data-live={live ? 'on' : undefined}>
      <TemplateFields
        fields={[]}
        computed={props.descriptors}
        computedValues={live?.values ?? props.initial}
        computedBasis={live?.basis ?? props.initialBasis}
        idPrefix={props.idPrefix}
      />
    </div>
  );
}

/** Whether any control of the form holds something other than what the page was sent with. */
function differsFromDefaults(form: HTMLFormElement): boolean {
  return [...form.elements].some((el) => {
    if (el instanceof HTMLInputElement) return el.type === 'checkbox' || el.type === 'radio' ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
    if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
    if (el instanceof HTMLSelectElement) {
      if (el.multiple) return [...el.options].some((o) => o.selected !== o.defaultSelected);
      // A single choice with no option marked shows its first: that is its default too.
      const marked = [...el.options].map((o) => o.defaultSelected).lastIndexOf(true);
      return el.selectedIndex !== (marked >= 0 ? marked : el.options.length ? 0 : -1);
    }
    return false;
  });
}
