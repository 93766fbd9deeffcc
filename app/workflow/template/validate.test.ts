import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { RESERVED_NAMES } from './expressions';
import { formatMessage } from './messages';
import { STANDARD_ROLES } from './roles';
import { ruleLibrary } from './rules';
import { templateVersionSchema, type TemplateVersion, type TemplateVersionInput } from './schema';
import { checkTemplate, validateCatalog, validateTemplate, type Path, type Problem } from './validate';

const catalogKeys = new Set(standardCatalog.map((t) => t.key));
const defIndexArb = fc.integer({ min: 0, max: standardCatalog.length - 1 });
const freshName = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{2,10}$/)
  .filter((n) => !RESERVED_NAMES.has(n) && standardCatalog.every((t) => !t.fields.some((f) => f.name === n) && !t.computed.some((c) => c.name === n)));

function expectProblemAt(problems: Problem[], path: Path, code: string) {
  expect(problems.map((p) => `${JSON.stringify(p.path)} ${p.code}`)).toContain(`${JSON.stringify(path)} ${code}`);
}

/** A copy of a catalog template, changed; the catalog is frozen data shared by every test. */
function edited(index: number, change: (def: TemplateVersion) => void): TemplateVersion {
  const def = structuredClone(standardCatalog[index]);
  change(def);
  return def;
}

describe('a dangling reference injected into a valid definition is reported exactly where it is', () => {
  it('the standard catalog itself has no problems', () => {
    expect(validateCatalog(standardCatalog)).toEqual([]);
  });

  it('an unknown name in a computed expression', () => {
    const withComputed = standardCatalog.flatMap((t, i) => (t.computed.length ? [i] : []));
    fc.assert(
      fc.property(fc.constantFrom(...withComputed), fc.nat(), freshName, (d, n, symbol) => {
        const i = n % standardCatalog[d].computed.length;
        const def = edited(d, (t) => {
          t.computed[i].expression = `(${t.computed[i].expression}) + ${symbol}`;
        });
        const problems = validateTemplate(def, { catalog: standardCatalog });
        expectProblemAt(problems, ['computed', i, 'expression'], 'unknownSymbol');
        expect(problems.find((p) => p.code === 'unknownSymbol')?.params.symbol).toBe(symbol);
      }),
    );
  });

  it('an unknown role in a step', () => {
    const roleArb = fc.stringMatching(/^[a-z][a-z_]{2,20}$/).filter((r) => !(STANDARD_ROLES as readonly string[]).includes(r));
    fc.assert(
      fc.property(defIndexArb, fc.nat(), roleArb, fc.constantFrom('role' as const, 'unitRole' as const), (d, n, role, type) => {
        const i = n % standardCatalog[d].route.length;
        const def = edited(d, (t) => {
          t.route[i].assignee = { type, role };
        });
        const problems = validateTemplate(def, { catalog: standardCatalog });
        expectProblemAt(problems, ['route', i, 'assignee', 'role'], 'unknownRole');
        const problem = problems.find((p) => p.code === 'unknownRole')!;
        expect(formatMessage('en', problem.code, problem.params)).toBe(`Step ${i + 1}: role \`${role}\` is not defined`);
      }),
    );
  });

  it('a follow-up to a template that is not in the catalog', () => {
    const keyArb = fc.stringMatching(/^[a-z][a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/).filter((k) => !catalogKeys.has(k));
    fc.assert(
      fc.property(defIndexArb, keyArb, (d, key) => {
        const def = edited(d, (t) => {
          t.followUps.push({ template: key, when: 'approved', mode: 'offer', carry: {} });
        });
        const problems = validateTemplate(def, { catalog: standardCatalog });
        expect(problems).toEqual([
          { path: ['followUps', def.followUps.length - 1, 'template'], code: 'unknownTemplate', params: { template: key } },
        ]);
      }),
    );
  });

  it('an unknown field in a rule mapping, an editing step or a carried value', () => {
    const withRules = standardCatalog.flatMap((t, i) => (t.rules.length ? [i] : []));
    fc.assert(
      fc.property(fc.constantFrom(...withRules), fc.nat(), fc.nat(), freshName, (d, n, m, name) => {
        const r = n % standardCatalog[d].rules.length;
        const slots = ruleLibrary.get(standardCatalog[d].rules[r].rule)!.slots;
        const slot = slots[m % slots.length].name;
        const def = edited(d, (t) => {
          t.rules[r].fields[slot] = name;
        });
        expectProblemAt(validateTemplate(def, { catalog: standardCatalog }), ['rules', r, 'fields', slot], 'unknownField');
      }),
    );
    fc.assert(
      fc.property(defIndexArb, fc.nat(), freshName, (d, n, stepId) => {
        const f = n % standardCatalog[d].fields.length;
        const def = edited(d, (t) => {
          t.fields[f].editableAt.push(stepId);
        });
        expectProblemAt(validateTemplate(def, { catalog: standardCatalog }), ['fields', f, 'editableAt', def.fields[f].editableAt.length - 1], 'unknownStep');
      }),
    );
    fc.assert(
      fc.property(freshName, freshName, (target, source) => {
        const d = standardCatalog.findIndex((t) => t.key === 'overtime-request');
        const def = edited(d, (t) => {
          t.followUps[0].carry[target] = 'employee';
          t.followUps[0].carry.workDone = source;
        });
        const problems = validateTemplate(def, { catalog: standardCatalog });
        expectProblemAt(problems, ['followUps', 0, 'carry', target], 'unknownTargetField');
        expectProblemAt(problems, ['followUps', 0, 'carry', 'workDone'], 'unknownField');
      }),
    );
  });

  /** Small valid templates whose follow-ups only go forward (i → j, i < j): no cycles. */
  const acyclicCatalogArb = fc.integer({ min: 2, max: 6 }).chain((size) =>
    fc
      .array(fc.tuple(fc.nat({ max: size - 1 }), fc.nat({ max: size - 1 })), { maxLength: 10 })
      .map((pairs) => pairs.filter(([a, b]) => a < b))
      .map((edges) =>
        Array.from({ length: size }, (_, i) =>
          templateVersionSchema.parse({
            key: `t${i}`,
            version: 1,
            title: { 'sr-Cyrl': `Образац ${i}`, en: `Template ${i}` },
            category: 'test',
            classification: '1',
            fields: [{ name: 'subject', type: 'text', label: { 'sr-Cyrl': 'Предмет', en: 'Subject' } }],
            route: [{ id: 'head', kind: 'approve', label: { 'sr-Cyrl': 'Одобрење', en: 'Approval' }, assignee: { type: 'authorUnitHead' } }],
            followUps: [...new Set(edges.filter(([a]) => a === i).map(([, b]) => b))].map((b) => ({
              template: `t${b}`,
              when: 'approved',
              mode: 'createDraft',
              carry: { subject: 'subject' },
            })),
          } satisfies TemplateVersionInput),
        ),
      ),
  );

  /** Templates reachable from `from` by follow-ups. */
  const reachable = (catalog: TemplateVersion[], from: number): Set<number> => {
    const seen = new Set<number>();
    const visit = (i: number) => {
      for (const f of catalog[i].followUps) {
        const j = Number(f.template.slice(1));
        if (!seen.has(j)) {
          seen.add(j);
          visit(j);
        }
      }
    };
    visit(from);
    return seen;
  };

  it('a follow-up that closes a cycle across the catalog', () => {
    fc.assert(
      fc.property(acyclicCatalogArb, fc.nat(), fc.nat(), (catalog, a, b) => {
        expect(validateCatalog(catalog)).toEqual([]);
        // Close a cycle: from some j back to an i that reaches j (or j itself: a self-loop).
        const i = a % catalog.length;
        const targets = [i, ...reachable(catalog, i)];
        const j = targets[b % targets.length];
        const cyclic = catalog.map((t) => structuredClone(t));
        cyclic[j].followUps.push({ template: `t${i}`, when: 'approved', mode: 'offer', carry: {} });
        const at = [j, 'followUps', cyclic[j].followUps.length - 1, 'template'];
        const problems = validateCatalog(cyclic);
        expectProblemAt(problems, at, 'followUpCycle');
        const cycle = String(problems.find((p) => JSON.stringify(p.path) === JSON.stringify(at))!.params.cycle).split(' → ');
        expect(cycle[0]).toBe(`t${j}`);
        expect(cycle[1]).toBe(`t${i}`);
        expect(cycle.at(-1)).toBe(`t${j}`);
        // Publishing the closing template alone against the catalog finds it too.
        expectProblemAt(validateTemplate(cyclic[j], { catalog }), at.slice(1), 'followUpCycle');
      }),
    );
  });
});

describe('validateTemplate', () => {
  const request = standardCatalog.findIndex((t) => t.key === 'overtime-request');
  const slip = standardCatalog.findIndex((t) => t.key === 'overtime-pay-slip');
  const mail = standardCatalog.findIndex((t) => t.key === 'incoming-mail');
  const problemsOf = (d: number, change: (def: TemplateVersion) => void) =>
    validateTemplate(edited(d, change), { catalog: standardCatalog });

  it('refuses tenant parameters whose default lies outside their bounds, or whose floor is below the law', () => {
    expect(
      problemsOf(slip, (t) => {
        const p = t.tenantParameters[0];
        if (p.type !== 'position') p.default = 20;
      }),
    ).toEqual([
      {
        path: ['tenantParameters', 0, 'default'],
        code: 'parameterDefaultOutOfBounds',
        params: { parameter: 'premium.overtime', value: 20, min: 26, max: 500 },
      },
    ]);
    expect(
      problemsOf(slip, (t) => {
        const p = t.tenantParameters[2];
        if (p.type !== 'position') [p.min, p.default] = [100, 100];
      }),
    ).toEqual([
      { path: ['tenantParameters', 2, 'min'], code: 'parameterMinBelowLegal', params: { parameter: 'premium.holiday', minimum: 110 } },
    ]);
  });

  it('refuses duplicate and reserved names and step ids', () => {
    const problems = problemsOf(request, (t) => {
      t.fields[1].name = 'employee';
      t.computed[0].name = 'max';
      t.route[1].id = 'unit-head';
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual(
      expect.arrayContaining([
        [['fields', 1, 'name'], 'duplicateName'],
        [['computed', 0, 'name'], 'reservedName'],
        [['route', 1, 'id'], 'duplicateStepId'],
      ]),
    );
  });

  it('refuses an unknown rule, a rule parameter beyond the law and a wrongly typed rule input', () => {
    const problems = problemsOf(request, (t) => {
      t.rules[0].rule = 'labour.noSuchRule';
      t.rules[2].params = { maxWeekHours: 10 };
      t.rules[1].fields.start = 'description';
    });
    expect(problems).toEqual([
      { path: ['rules', 0, 'rule'], code: 'unknownRule', params: { rule: 'labour.noSuchRule' } },
      {
        path: ['rules', 1, 'fields', 'start'],
        code: 'ruleSlotType',
        params: { rule: 'labour.overtimeDailyCap', slot: 'start', field: 'description', expected: 'time, datetime' },
      },
      {
        path: ['rules', 2, 'params', 'maxWeekHours'],
        code: 'ruleParamTooLarge',
        params: { rule: 'labour.overtimeWeeklyCap', param: 'maxWeekHours', maximum: 8 },
      },
    ]);
  });

  it('refuses overtime caps on times without a date, or on a start and end of different kinds', () => {
    expect(
      problemsOf(request, (t) => {
        t.fields.find((f) => f.name === 'date')!.name = 'day';
        t.rules = t.rules.filter((r) => r.rule === 'labour.overtimeWeeklyCap');
      }),
    ).toEqual([
      // The hours are those that really pass on the date (issue 22: daylight saving), so they read it too.
      { path: ['computed', 0, 'expression'], code: 'unknownSymbol', params: { computed: 'hours', symbol: 'date' } },
      { path: ['rules', 0, 'fields', 'date'], code: 'ruleSlotUnmapped', params: { rule: 'labour.overtimeWeeklyCap', slot: 'date' } },
      { path: ['followUps', 0, 'carry', 'date'], code: 'unknownField', params: { field: 'date' } },
    ]);
    expect(
      problemsOf(request, (t) => {
        t.rules[0].fields.end = 'date';
      }),
    ).toEqual([
      { path: ['rules', 0, 'fields', 'end'], code: 'ruleSlotKindsDiffer', params: { rule: 'time.endAfterStart', a: 'start', b: 'end' } },
    ]);
  });

  it('refuses expressions outside the safe subset, and cycles between computed values', () => {
    const problems = problemsOf(slip, (t) => {
      t.computed[0].expression = 'import({}, {})';
      t.computed[1].expression = 'totalAmount * 2';
      t.computed[2].expression = 'nightHours * (';
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['computed', 0, 'expression'], 'expressionNotAllowed'],
      [['computed', 2, 'expression'], 'expressionSyntax'],
      [['computed', 1, 'expression'], 'computedCycle'],
      [['computed', 4, 'expression'], 'computedCycle'],
    ]);
    expect(problems[2].params.cycle).toBe('overtimeIncrease → totalAmount → overtimeIncrease');
  });

  it('refuses a text field used as a number in an expression', () => {
    expect(
      problemsOf(request, (t) => {
        t.computed[0].expression = 'description * 2';
      }),
    ).toEqual([{ path: ['computed', 0, 'expression'], code: 'symbolNotNumeric', params: { computed: 'hours', symbol: 'description' } }]);
  });

  it('refuses an assignee field that nobody fills in before the step, and a prepare step with nothing to fill', () => {
    expect(
      problemsOf(mail, (t) => {
        t.fields.find((f) => f.name === 'caseHandler')!.editableAt = ['handle'];
      }).map((p) => [p.path, p.code]),
    ).toEqual([
      [['fields', 6, 'editableAt', 0], 'stepCannotEdit'],
      [['route', 1, 'assignee', 'field'], 'assigneeFieldNotFilledBefore'],
    ]);
    expect(
      problemsOf(mail, (t) => {
        for (const f of t.fields) f.editableAt = ['draft'];
      }).map((p) => [p.path, p.code]),
    ).toEqual([[['route', 0], 'prepareStepWithoutFields']]);
  });

  it('checks parallel groups, positions and deadlines', () => {
    const problems = problemsOf(slip, (t) => {
      t.route[1].parallel = { group: 'heads', quorum: { n: 3 } };
      t.route[2].parallel = { group: 'heads', quorum: { n: 3 } };
      t.route[0].assignee = { type: 'position', position: 'position.payroll' };
      t.route[0].slaHours = 'sla.none';
      t.route[0].blocking = true;
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['route', 0, 'assignee', 'position'], 'unknownPosition'],
      [['route', 0, 'slaHours'], 'unknownSlaParameter'],
      [['route', 0, 'blocking'], 'blockingOnlyForConsult'],
      [['route', 1, 'parallel', 'quorum', 'n'], 'parallelQuorumTooLarge'],
    ]);
  });

  it('checks where an aggregate reads from', () => {
    const problems = problemsOf(slip, (t) => {
      t.aggregate!.sum.totalHours = 'workDone';
      t.aggregate!.match.month = 'employee';
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      [['aggregate', 'match', 'month'], 'carryTypeMismatch'],
      [['aggregate', 'sum', 'totalHours'], 'fieldWrongType'],
    ]);
  });

  it('accepts roles from a tenant catalogue passed in', () => {
    expect(validateTemplate(standardCatalog[slip], { catalog: standardCatalog, roles: ['finance', 'chief_admin'] })).toEqual([
      {
        path: ['route', 1, 'assignee', 'role'],
        code: 'unknownRole',
        params: { step: 2, stepId: 'finance-head', role: 'finance_head' },
      },
    ]);
  });
});

describe('checkTemplate', () => {
  it('reports shape problems with paths and codes', () => {
    const input = structuredClone(standardCatalog[0]) as Record<string, unknown>;
    delete input.title;
    (input.fields as Record<string, unknown>[])[0].type = 'colour';
    (input.route as Record<string, unknown>[])[0].assignees = [];
    const { template, problems } = checkTemplate(input, { catalog: standardCatalog });
    expect(template).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: ['title'], code: 'missing', params: {} },
        { path: ['fields', 0, 'type'], code: 'notAllowedValue', params: expect.objectContaining({ allowed: expect.stringContaining('staff') }) },
        { path: ['route', 0, 'assignees'], code: 'unknownKey', params: { key: 'assignees' } },
      ]),
    );
  });

  it('reports field-local problems the schema finds with their own codes', () => {
    const input = structuredClone(standardCatalog[0]) as TemplateVersionInput;
    input.fields.push({ name: 'code', type: 'text', label: { 'sr-Cyrl': 'Шифра', en: 'Code' }, pattern: '[a-', minLength: 5, maxLength: 3 });
    const { problems } = checkTemplate(input, { catalog: standardCatalog });
    expect(problems).toEqual([
      { path: ['fields', 7, 'maxLength'], code: 'boundsInverted', params: { field: 'code', min: 5, max: 3 } },
      { path: ['fields', 7, 'pattern'], code: 'badPattern', params: { field: 'code' } },
    ]);
  });

  it('parses and validates a good definition', () => {
    const { template, problems } = checkTemplate(standardCatalog[2], { catalog: standardCatalog });
    expect(problems).toEqual([]);
    expect(template).toEqual(standardCatalog[2]);
  });
});
