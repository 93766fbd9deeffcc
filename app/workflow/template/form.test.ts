import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESERVED_NAMES } from './expressions';
import { fieldDescriptors, submissionSchema, type FieldDescriptor } from './form';
import { LOCALES, type Locale } from './labels';
import { formatMessage } from './messages';
import { DRAFT, STEP_KINDS, templateVersionSchema, type TemplateVersion, type TemplateVersionInput } from './schema';

const labelsArb = fc.record({
  'sr-Cyrl': fc.constantFrom('Поље', 'Датум почетка', 'Износ у динарима', 'Љубазна напомена'),
  en: fc.constantFrom('Field', 'Start date', 'Amount in RSD', 'Note'),
});

const nameArb = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/).filter((n) => !RESERVED_NAMES.has(n));

/** Patterns with a generator of exactly the strings they accept. */
const PATTERNS: Record<string, fc.Arbitrary<string>> = {
  '[0-9]{3}': fc.stringMatching(/^[0-9]{3}$/),
  '[A-Z]{2}-[0-9]{1,4}': fc.stringMatching(/^[A-Z]{2}-[0-9]{1,4}$/),
  '[а-ш]+': fc.stringMatching(/^[а-ш]{1,10}$/),
};

const orderedInts = (lo: number, hi: number) =>
  fc.tuple(fc.option(fc.integer({ min: lo, max: hi }), { nil: undefined }), fc.option(fc.integer({ min: lo, max: hi }), { nil: undefined })).map(
    ([a, b]) => (a !== undefined && b !== undefined && a > b ? [b, a] : [a, b]) as [number | undefined, number | undefined],
  );

const lengths = (hi: number) =>
  fc.tuple(fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), fc.integer({ min: 6, max: hi }));

const common = { label: labelsArb, help: fc.option(labelsArb, { nil: undefined }), required: fc.boolean() };

const fieldArb = fc.oneof(
  fc.record({ ...common, type: fc.constant('text' as const), len: lengths(40) }).map(({ len: [minLength, maxLength], ...f }) => ({
    ...f,
    minLength,
    maxLength,
  })),
  fc.record({ ...common, type: fc.constant('text' as const), pattern: fc.constantFrom(...Object.keys(PATTERNS)) }).map((f) => ({
    ...f,
    maxLength: 20,
  })),
  fc.record({ ...common, type: fc.constant('textarea' as const), len: lengths(300) }).map(({ len: [minLength, maxLength], ...f }) => ({
    ...f,
    minLength,
    maxLength,
  })),
  fc.record({ ...common, type: fc.constant('number' as const), b: orderedInts(-1000, 1000) }).map(({ b: [min, max], ...f }) => ({ ...f, min, max })),
  fc
    .record({ ...common, type: fc.constant('decimal' as const), scale: fc.integer({ min: 0, max: 4 }), b: orderedInts(-100_000, 100_000) })
    .map(({ b: [min, max], ...f }) => ({
      ...f,
      min: min === undefined ? undefined : min / 10 ** f.scale,
      max: max === undefined ? undefined : max / 10 ** f.scale,
    })),
  fc.record({ ...common, type: fc.constant('money' as const), b: orderedInts(-100_000, 10_000_000) }).map(({ b: [min, max], ...f }) => ({
    ...f,
    min: min === undefined ? undefined : min / 100,
    max: max === undefined ? undefined : max / 100,
  })),
  fc.record({ ...common, type: fc.constantFrom('date' as const, 'time' as const, 'datetime' as const, 'month' as const, 'checkbox' as const) }),
  fc.record({
    ...common,
    type: fc.constant('select' as const),
    options: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), { minLength: 1, maxLength: 5 }).map((values) =>
      values.map((value) => ({ value, label: { 'sr-Cyrl': `Опција ${value}`, en: `Option ${value}` } })),
    ),
  }),
  fc.record({ ...common, type: fc.constantFrom('staff' as const, 'orgUnit' as const) }),
  fc.record({ ...common, type: fc.constant('document' as const), template: fc.constantFrom('overtime-request', 'leave-request') }),
  fc.record({ ...common, type: fc.constant('attachment' as const), maxFiles: fc.integer({ min: 1, max: 4 }) }),
);

/** Template inputs the schema accepts: random fields, a random route, random editing steps. */
const definitionArb: fc.Arbitrary<TemplateVersionInput> = fc
  .record({
    kinds: fc.array(fc.constantFrom(...STEP_KINDS), { minLength: 1, maxLength: 3 }),
    fields: fc.uniqueArray(fc.tuple(nameArb, fieldArb), { minLength: 1, maxLength: 8, selector: ([name]) => name }),
  })
  .chain(({ kinds, fields }) => {
    const route = kinds.map((kind, i) => ({
      id: `s${i}`,
      kind,
      label: { 'sr-Cyrl': `Корак ${i}`, en: `Step ${i}` },
      assignee: { type: 'role' as const, role: 'hr' },
    }));
    const choices = [DRAFT, ...route.filter((s) => s.kind === 'prepare').map((s) => s.id)];
    return fc.tuple(...fields.map(() => fc.subarray(choices, { minLength: 1 }))).map(
      (editableAt): TemplateVersionInput => ({
        key: 'generated',
        version: 1,
        title: { 'sr-Cyrl': 'Образац', en: 'Form' },
        category: 'test',
        classification: '1',
        fields: fields.map(([name, field], i) => ({ ...field, name, editableAt: editableAt[i] }) as TemplateVersionInput['fields'][number]),
        route,
      }),
    );
  });

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const timeArb = fc.integer({ min: 0, max: 1439 }).map((m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);
const dateArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const textUnit = fc.constantFrom(...'abcčćdđšžxyzАБВЉЊЏшђ0123456789.-');

/** Scaled integer → decimal text with exactly `scale` places, sometimes with a decimal comma. */
function decimalText(n: number, scale: number, comma: boolean): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(n)).padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return sign + (comma ? text.replace('.', ',') : text);
}

const scaled = (x: number | undefined, scale: number) => (x === undefined ? undefined : Math.round(x * 10 ** scale));

/** A raw form value that the descriptor's constraints say is acceptable. */
function validRaw(d: FieldDescriptor): fc.Arbitrary<unknown> {
  const c = d.constraints;
  const present = ((): fc.Arbitrary<unknown> => {
    switch (d.type) {
      case 'text':
      case 'textarea': {
        if (c.pattern) return PATTERNS[c.pattern];
        const body = fc.string({ unit: textUnit, minLength: Math.max(c.minLength ?? 0, 1), maxLength: c.maxLength });
        // Surrounding whitespace is trimmed before lengths are counted.
        return fc.tuple(fc.constantFrom('', ' ', '\n'), body).map(([ws, s]) => `${ws}${s}${ws}`);
      }
      case 'number':
        return fc.integer({ min: c.min ?? -1_000_000, max: c.max ?? 1_000_000 }).map(String);
      case 'decimal':
      case 'money': {
        const s = c.scale!;
        const lo = scaled(c.min, s) ?? -1_000_000_000;
        const hi = scaled(c.max, s) ?? 1_000_000_000;
        return fc.tuple(fc.integer({ min: lo, max: hi }), fc.boolean()).map(([n, comma]) => decimalText(n, s, comma));
      }
      case 'date':
        return dateArb;
      case 'time':
        return timeArb;
      case 'datetime':
        return fc.tuple(dateArb, timeArb).map(([date, time]) => `${date}T${time}`);
      case 'month':
        return fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${pad(m)}`);
      case 'select':
        return fc.constantFrom(...d.options!.map((o) => o.value));
      case 'checkbox':
        return fc.constant('on');
      case 'attachment':
        return fc.array(idArb, { minLength: 1, maxLength: c.maxFiles });
      default:
        return idArb;
    }
  })();
  if (d.required) return present;
  return fc.oneof(present, fc.constantFrom(undefined, ''));
}

type Breakage = { raw: unknown; code: string };

/** Ways to break a field that its descriptor announces, with the code the schema must give. */
function breakages(d: FieldDescriptor): Breakage[] {
  const c = d.constraints;
  const out: Breakage[] = [];
  if (d.required) out.push(d.type === 'checkbox' ? { raw: undefined, code: 'mustBeChecked' } : { raw: '', code: 'required' });
  if (c.maxLength !== undefined) out.push({ raw: 'ж'.repeat(c.maxLength + 1), code: 'tooLong' });
  if (c.minLength !== undefined && c.minLength >= 2) out.push({ raw: 'ж'.repeat(c.minLength - 1), code: 'tooShort' });
  if (c.pattern !== undefined) out.push({ raw: '!', code: 'patternMismatch' });
  if (c.scale !== undefined) {
    const unit = 1 / 10 ** c.scale;
    if (c.max !== undefined) out.push({ raw: decimalText(scaled(c.max, c.scale)! + 1, c.scale, false), code: 'tooLarge' });
    if (c.min !== undefined) out.push({ raw: decimalText(scaled(c.min, c.scale)! - 1, c.scale, true), code: 'tooSmall' });
    out.push({ raw: (unit / 10).toFixed(c.scale + 1), code: d.type === 'number' ? 'notInteger' : 'tooManyDecimals' });
    out.push({ raw: '12a', code: 'notNumber' });
  }
  if (d.type === 'select') out.push({ raw: 'не-постоји', code: 'invalidOption' });
  if (d.type === 'date') out.push({ raw: '2025-02-29', code: 'invalidDate' });
  if (d.type === 'time') out.push({ raw: '24:01', code: 'invalidTime' });
  if (d.type === 'datetime') out.push({ raw: '2025-01-01T25:00', code: 'invalidDateTime' });
  if (d.type === 'month') out.push({ raw: '2025-13', code: 'invalidMonth' });
  if (d.type === 'attachment') out.push({ raw: Array.from({ length: c.maxFiles! + 1 }, (_, i) => `a${i}`), code: 'tooManyFiles' });
  if (d.type === 'staff' || d.type === 'orgUnit' || d.type === 'document') out.push({ raw: 'x y', code: 'invalidReference' });
  return out;
}

interface Case {
  def: TemplateVersion;
  locale: Locale;
  stepId: string;
  editable: FieldDescriptor[];
  values: Record<string, unknown>;
}

const caseArb: fc.Arbitrary<Case> = fc.tuple(definitionArb, fc.constantFrom(...LOCALES)).chain(([input, locale]) => {
  const def = templateVersionSchema.parse(input);
  const steps = [DRAFT, ...def.route.filter((s) => s.kind === 'prepare').map((s) => s.id)];
  return fc.constantFrom(...steps).chain((stepId) => {
    const descriptors = fieldDescriptors(def, locale);
    const editable = descriptors.filter((d) => d.editableAt.includes(stepId));
    const others = descriptors.filter((d) => !d.editableAt.includes(stepId));
    return fc
      .tuple(fc.tuple(...editable.map(validRaw)), fc.tuple(...others.map(validRaw)))
      .map(([mine, theirs]) => ({
        def,
        locale,
        stepId,
        editable,
        // Values for other steps' fields are sent too: a step must not be able to set them.
        values: Object.fromEntries([...others.map((d, i) => [d.name, theirs[i]]), ...editable.map((d, i) => [d.name, mine[i]])]),
      }));
  });
});

/** The same submission checked by two independently built schemas, as client and server do. */
function clientAndServer(c: Pick<Case, 'def' | 'locale' | 'stepId'>, values: Record<string, unknown>) {
  const client = submissionSchema(c.def, { locale: c.locale, stepId: c.stepId }).safeParse(values);
  const server = submissionSchema(c.def, { locale: c.locale, stepId: c.stepId }).safeParse(values);
  expect(JSON.stringify(server)).toEqual(JSON.stringify(client));
  return server;
}

describe('fieldDescriptors and submissionSchema for any definition the schema accepts', () => {
  it('describes every field, and each step validates exactly its editable fields', () => {
    fc.assert(
      fc.property(definitionArb, fc.constantFrom(...LOCALES), (input, locale) => {
        const def = templateVersionSchema.parse(input);
        const descriptors = fieldDescriptors(def, locale);
        expect(descriptors.map((d) => d.name)).toEqual(def.fields.map((f) => f.name));
        for (const [i, d] of descriptors.entries()) {
          expect(d.type).toBe(def.fields[i].type);
          expect(d.label).toBe(def.fields[i].label[locale]);
          expect(d.label.length).toBeGreaterThan(0);
        }
        for (const stepId of [DRAFT, ...def.route.map((s) => s.id)]) {
          const editable = def.fields.filter((f) => f.editableAt.includes(stepId));
          const draft = submissionSchema(def, { locale, stepId, partial: true }).parse({});
          expect(Object.keys(draft)).toEqual(editable.map((f) => f.name));
          const empty = submissionSchema(def, { locale, stepId }).safeParse({});
          expect((empty.error?.issues ?? []).map((i) => i.path[0])).toEqual(editable.filter((f) => f.required).map((f) => f.name));
        }
      }),
    );
  });

  it('accepts submissions within the advertised constraints, the same on client and server', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const result = clientAndServer(c, c.values);
        expect(result.error?.issues ?? []).toEqual([]);
        expect(Object.keys(result.data ?? {}).sort()).toEqual(c.editable.map((d) => d.name).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a submission that breaks one advertised constraint, at that field, with its code', () => {
    const brokenArb = caseArb
      .filter((c) => c.editable.some((d) => breakages(d).length > 0))
      .chain((c) => {
        const breakable = c.editable.filter((d) => breakages(d).length > 0);
        return fc
          .constantFrom(...breakable)
          .chain((d) => fc.constantFrom(...breakages(d)).map((b) => ({ c, field: d.name, ...b })));
      });
    fc.assert(
      fc.property(brokenArb, ({ c, field, raw, code }) => {
        const result = clientAndServer(c, { ...c.values, [field]: raw });
        expect(result.success).toBe(false);
        const issues = result.error!.issues.filter((i) => i.path[0] === field);
        expect(issues).toHaveLength(1);
        const issue = issues[0] as { params?: Record<string, string | number>; message: string };
        expect(issue.params?.code).toBe(code);
        const { code: _code, ...params } = issue.params!;
        expect(issue.message).toBe(formatMessage(c.locale, code as never, params));
        // The other fields were valid, so nothing else is reported.
        expect(result.error!.issues.every((i) => i.path[0] === field)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('submission values', () => {
  const def = templateVersionSchema.parse({
    key: 'sample',
    version: 1,
    title: { 'sr-Cyrl': 'Пример', en: 'Sample' },
    category: 'test',
    classification: '1',
    fields: [
      { name: 'amount', type: 'money', label: { 'sr-Cyrl': 'Износ', en: 'Amount' }, required: true, min: 0.01 },
      { name: 'note', type: 'textarea', label: { 'sr-Cyrl': 'Напомена', en: 'Note' }, maxLength: 5 },
      { name: 'agree', type: 'checkbox', label: { 'sr-Cyrl': 'Сагласан', en: 'Agree' } },
      { name: 'at', type: 'datetime', label: { 'sr-Cyrl': 'Време', en: 'When' } },
      { name: 'rate', type: 'money', label: { 'sr-Cyrl': 'Цена', en: 'Rate' }, required: true, editableAt: ['finance'] },
    ],
    route: [
      { id: 'finance', kind: 'prepare', label: { 'sr-Cyrl': 'Финансије', en: 'Finance' }, assignee: { type: 'role', role: 'finance' } },
    ],
  });
  const parse = (values: Record<string, unknown>, options: { stepId?: string; partial?: boolean } = {}) =>
    submissionSchema(def, { locale: 'sr-Cyrl', ...options }).safeParse(values);

  it('normalises what browsers and Serbian users send', () => {
    const r = parse({ amount: '1234,5', note: 'a\r\nb\r\nc', agree: 'on', at: '2025-03-01 08:30:00' });
    expect(r.data).toEqual({ amount: '1234.50', note: 'a\nb\nc', agree: true, at: '2025-03-01T08:30' });
  });

  it('counts a CRLF line break as one character, as the browser maxlength does', () => {
    expect(parse({ amount: '1', note: 'ab\r\ncd' }).success).toBe(true);
    expect(parse({ amount: '1', note: 'ab\r\ncde' }).success).toBe(false);
  });

  it('answers in the requested locale', () => {
    const messages = (locale: Locale) =>
      submissionSchema(def, { locale }).safeParse({ amount: '0' }).error!.issues.map((i) => i.message);
    expect(messages('sr-Cyrl')).toEqual(['Најмања дозвољена вредност је 0,01']);
    expect(messages('sr-Latn')).toEqual(['Najmanja dozvoljena vrednost je 0,01']);
    expect(messages('en')).toEqual(['The smallest allowed value is 0.01']);
  });

  it('lets a draft be saved with required fields empty, but still checks what is filled', () => {
    expect(parse({}, { partial: true }).success).toBe(true);
    expect(parse({ amount: 'abc' }, { partial: true }).success).toBe(false);
    expect(parse({}).error!.issues.map((i) => i.path)).toEqual([['amount']]);
  });

  it("validates a prepare step's own fields and drops the author's", () => {
    const r = parse({ rate: '512,37', amount: '999' }, { stepId: 'finance' });
    expect(r.data).toEqual({ rate: '512.37' });
    expect(parse({ amount: '999' }, { stepId: 'finance' }).error!.issues[0].path).toEqual(['rate']);
  });

  it('refuses several values under one name instead of picking one', () => {
    expect((parse({ amount: ['1', '2'] }).error!.issues[0] as { params?: { code: string } }).params?.code).toBe('invalid');
  });
});
