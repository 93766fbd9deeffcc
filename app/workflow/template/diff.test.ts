import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { toLatin } from '#app/i18n/transliterate';
import { diffTemplates, type TemplateChange } from './diff';
import type { Field, Step, TemplateVersion } from './schema';

const byKey = (key: string) => structuredClone(standardCatalog.find((d) => d.key === key)!);
const brief = (changes: TemplateChange[]) => changes.map((c) => ({ code: c.code, name: c.params.name, paths: c.properties.map((p) => p.path.join('.')) }));

/** A label as the schema leaves it: the Latin form derived from the Cyrillic one. */
const label = (cyrl: string, en: string) => ({ 'sr-Cyrl': cyrl, 'sr-Latn': toLatin(cyrl), en });

function move<T>(list: T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

describe('diffTemplates', () => {
  it('reports a changed label with its value before and after, once, without the derived Latin form', () => {
    const a = byKey('overtime-request');
    const b = structuredClone(a);
    b.fields[2].label = label('Дан прековременог рада', a.fields[2].label.en);
    expect(diffTemplates(a, b)).toEqual([
      {
        section: 'fields',
        kind: 'changed',
        code: 'fields.changed',
        params: { name: 'date' },
        path: ['fields', 2],
        properties: [{ path: ['label', 'sr-Cyrl'], before: 'Датум прековременог рада', after: 'Дан прековременог рада' }],
      },
    ]);
  });

  it('reports a hand-written Latin label, which is not derived', () => {
    const a = byKey('overtime-request');
    const b = structuredClone(a);
    b.title = { ...a.title, 'sr-Latn': 'Zahtev za prekovremeni rad (latinica)' };
    expect(brief(diffTemplates(a, b))).toEqual([{ code: 'general.changed', name: 'general', paths: ['title.sr-Latn'] }]);
  });

  it('tells a moved step from steps that only shifted, and a renamed field from a changed one', () => {
    const a = byKey('overtime-request');
    const b = structuredClone(a);
    const extra: Step = { id: 'finance', kind: 'consult', label: label('Мишљење финансија', 'Finance opinion'), assignee: { type: 'role', role: 'finance' } };
    b.route = [a.route[1], extra, a.route[0]];
    b.fields[0] = { ...a.fields[0], name: 'worker' } as Field;
    expect(brief(diffTemplates(a, b))).toEqual([
      { code: 'fields.removed', name: 'employee', paths: [] },
      { code: 'fields.added', name: 'worker', paths: [] },
      { code: 'route.added', name: 'finance', paths: [] },
      { code: 'route.moved', name: 'unit-head', paths: [] },
    ]);
    expect(diffTemplates(a, b).find((c) => c.code === 'route.moved')?.params).toEqual({ name: 'unit-head', from: 1, to: 3 });
  });

  it('reports rule parameters, numbering, follow-ups and tenant parameters', () => {
    const a = byKey('overtime-request');
    const b = structuredClone(a);
    b.rules[1] = { ...a.rules[1], params: { maxDayHours: 10 } };
    b.numbering = { ...a.numbering, at: 'submit' };
    b.followUps[0] = { ...a.followUps[0], mode: 'createDraft' };
    b.tenantParameters = [];
    expect(brief(diffTemplates(a, b))).toEqual([
      { code: 'rules.changed', name: 'labour.overtimeDailyCap', paths: ['params.maxDayHours'] },
      { code: 'numbering.changed', name: 'numbering', paths: ['at'] },
      { code: 'followUps.changed', name: 'overtime-report', paths: ['mode'] },
      { code: 'tenantParameters.removed', name: 'sla.approval', paths: [] },
    ]);
  });

  it('matches a rule used twice by its order among uses of the same rule', () => {
    const a = byKey('overtime-request');
    a.rules.push({ rule: 'time.endAfterStart', params: { allowEqual: false }, fields: { start: 'date', end: 'date' } });
    const b = structuredClone(a);
    b.rules[4] = { ...a.rules[4], params: { allowEqual: true } };
    expect(brief(diffTemplates(a, b))).toEqual([{ code: 'rules.changed', name: 'time.endAfterStart', paths: ['params.allowEqual'] }]);
    expect(diffTemplates(a, b)[0].path).toEqual(['rules', 4]);
  });

  it('reports an aggregate added and removed', () => {
    const slip = byKey('overtime-pay-slip');
    const without = structuredClone(slip);
    delete without.aggregate;
    expect(brief(diffTemplates(without, slip))).toEqual([{ code: 'aggregate.added', name: 'aggregate', paths: [] }]);
    expect(brief(diffTemplates(slip, without))).toEqual([{ code: 'aggregate.removed', name: 'aggregate', paths: [] }]);
  });
});

// One change injected into a catalog definition, with what the diff must say about it.
type Injection = {
  apply: (d: TemplateVersion) => void;
  /** `names`: who may be named — swapping two neighbours is one move of either of them. */
  expect: (d: TemplateVersion) => { code: string; names: string[]; paths?: string[] };
};

const definitionArb = fc.constantFrom(...standardCatalog);

const injectionArb = (d: TemplateVersion): fc.Arbitrary<Injection> => {
  const fieldIndex = fc.integer({ min: 0, max: d.fields.length - 1 });
  const stepIndex = fc.integer({ min: 0, max: d.route.length - 1 });
  const text = fc.stringMatching(/^[А-Ша-ш ]{1,12}$/).filter((s) => s.trim() !== '');
  const freshName = fc.stringMatching(/^[a-z]{3,8}$/).map((s) => `new${s}`);
  const options: fc.Arbitrary<Injection>[] = [
    fc.tuple(fieldIndex, text).map(([i, cyrl]): Injection => {
      const name = d.fields[i].name;
      return {
        apply: (x) => {
          x.fields[i].label = label(`${x.fields[i].label['sr-Cyrl']}${cyrl}`, x.fields[i].label.en);
        },
        expect: () => ({ code: 'fields.changed', names: [name], paths: ['label.sr-Cyrl'] }),
      };
    }),
    fieldIndex.map((i): Injection => ({
      apply: (x) => {
        x.fields[i].required = !x.fields[i].required;
      },
      expect: () => ({ code: 'fields.changed', names: [d.fields[i].name], paths: ['required'] }),
    })),
    fc.tuple(fc.integer({ min: 0, max: d.fields.length }), freshName).map(([at, name]): Injection => ({
      apply: (x) => {
        x.fields.splice(at, 0, { name, type: 'checkbox', label: label('Ново', 'New'), required: false, editableAt: ['draft'] });
      },
      expect: () => ({ code: 'fields.added', names: [name] }),
    })),
    fieldIndex.map((i): Injection => ({
      apply: (x) => {
        x.fields.splice(i, 1);
      },
      expect: () => ({ code: 'fields.removed', names: [d.fields[i].name] }),
    })),
    stepIndex.map((i): Injection => ({
      apply: (x) => {
        x.route[i].slaHours = 123;
      },
      expect: () => ({ code: 'route.changed', names: [d.route[i].id], paths: ['slaHours'] }),
    })),
    fc.tuple(fc.integer({ min: 0, max: d.route.length }), freshName).map(([at, id]): Injection => ({
      apply: (x) => {
        x.route.splice(at, 0, { id, kind: 'acknowledge', label: label('Увид', 'Noted'), assignee: { type: 'authorUnitHead' } });
      },
      expect: () => ({ code: 'route.added', names: [id] }),
    })),
    fc.constant<Injection>({
      apply: (x) => {
        x.numbering = { ...x.numbering, register: !x.numbering.register };
      },
      expect: () => ({ code: 'numbering.changed', names: ['numbering'], paths: ['register'] }),
    }),
    text.map(
      (cyrl): Injection => ({
        apply: (x) => {
          x.title = label(`${x.title['sr-Cyrl']} ${cyrl}`, x.title.en);
        },
        expect: () => ({ code: 'general.changed', names: ['general'], paths: ['title.sr-Cyrl'] }),
      }),
    ),
    fc.constant<Injection>({
      apply: (x) => {
        x.classification = `${x.classification}-9`;
      },
      expect: () => ({ code: 'general.changed', names: ['general'], paths: ['classification'] }),
    }),
  ];
  if (d.fields.length > 1) {
    options.push(
      fc
        .tuple(fieldIndex, fieldIndex)
        .filter(([i, j]) => i !== j)
        .map(([i, j]): Injection => ({
          apply: (x) => {
            x.fields = move(x.fields, i, j);
          },
          expect: () => ({ code: 'fields.moved', names: Math.abs(i - j) === 1 ? [d.fields[i].name, d.fields[j].name] : [d.fields[i].name] }),
        })),
    );
  }
  if (d.route.length > 1) {
    options.push(
      stepIndex.map((i): Injection => ({
        apply: (x) => {
          x.route.splice(i, 1);
        },
        expect: () => ({ code: 'route.removed', names: [d.route[i].id] }),
      })),
    );
  }
  if (d.computed.length > 0) {
    options.push(
      fc.integer({ min: 0, max: d.computed.length - 1 }).map((i): Injection => ({
        apply: (x) => {
          x.computed[i].expression = `(${x.computed[i].expression}) * 2`;
        },
        expect: () => ({ code: 'computed.changed', names: [d.computed[i].name], paths: ['expression'] }),
      })),
    );
  }
  if (d.tenantParameters.some((p) => p.type !== 'position')) {
    const i = d.tenantParameters.findIndex((p) => p.type !== 'position');
    options.push(
      fc.integer({ min: 1, max: 500 }).map((value): Injection => ({
        apply: (x) => {
          const p = x.tenantParameters[i];
          if (p.type !== 'position') p.default = p.default + value;
        },
        expect: () => ({ code: 'tenantParameters.changed', names: [d.tenantParameters[i].name], paths: ['default'] }),
      })),
    );
  }
  return fc.oneof(...options);
};

describe('diffTemplates, for any definition', () => {
  it('finds nothing between a definition and itself (or a copy of it)', () => {
    fc.assert(
      fc.property(definitionArb, (d) => {
        expect(diffTemplates(d, d)).toEqual([]);
        expect(diffTemplates(d, structuredClone(d))).toEqual([]);
      }),
    );
  });

  it('reports exactly the one change injected, whatever it is', () => {
    fc.assert(
      fc.property(
        definitionArb.chain((d) => fc.tuple(fc.constant(d), injectionArb(d))),
        ([d, injection]) => {
          const changed = structuredClone(d);
          injection.apply(changed);
          const expected = injection.expect(d);
          const changes = diffTemplates(d, changed);
          expect(changes).toHaveLength(1);
          expect(changes[0].code).toBe(expected.code);
          expect(expected.names).toContain(changes[0].params.name);
          if (expected.paths) expect(changes[0].properties.map((p) => p.path.join('.'))).toEqual(expected.paths);
          // Read backwards, the same change is reported from the other side.
          expect(diffTemplates(changed, d)).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('diffTemplates and rule defaults', () => {
  it('reads a parameter left at its default as the default', () => {
    const a = byKey('overtime-request');
    const b = structuredClone(a);
    b.rules[0] = { ...a.rules[0], params: { overnight: true } };
    expect(diffTemplates(a, b)).toEqual([]);
    b.rules[0] = { ...a.rules[0], params: { overnight: true, allowEqual: true } };
    expect(brief(diffTemplates(a, b))).toEqual([{ code: 'rules.changed', name: 'time.endAfterStart', paths: ['params.allowEqual'] }]);
  });
});
