import type * as z from 'zod';
import { compiledExpressions } from './compute';
import { ExpressionError, RESERVED_NAMES } from './expressions';
import { isMessageCode, type MessageCode, type MessageParams } from './messages';
import { STANDARD_ROLES } from './roles';
import { resolveSlot, ruleLibrary } from './rules';
import {
  DRAFT,
  NUMERIC_FIELD_TYPES,
  templateVersionSchema,
  type Computed,
  type Field,
  type TemplateVersion,
} from './schema';

/**
 * Whole-definition validation: everything the schema's shape cannot say. Every problem has
 * a path into the definition (so the editor can show it where it is) and a message code
 * with parameters (so it can be shown in any locale). Never throws.
 */

export type Path = (string | number)[];

export interface Problem {
  readonly path: Path;
  readonly code: MessageCode;
  readonly params: MessageParams;
}

export interface ValidationOptions {
  /** The templates follow-ups, document links and aggregates may refer to. */
  readonly catalog: readonly TemplateVersion[];
  /** The role catalogue; the standard roles when absent. */
  readonly roles?: readonly string[];
}

class Problems {
  readonly list: Problem[] = [];
  add(path: Path, code: MessageCode, params: MessageParams = {}) {
    this.list.push({ path, code, params });
  }
}

const arrow = (names: readonly string[]) => names.join(' → ');

/** The type a value has when carried between templates. */
const carryType = (x: Field | Computed): string => ('type' in x ? x.type : x.kind);
const carryCompatible = (source: string, target: string) => source === target || (source === 'number' && target === 'decimal');
const SUMMABLE = new Set(['number', 'decimal', 'money']);

function byKey(def: TemplateVersion, catalog: readonly TemplateVersion[]): Map<string, TemplateVersion> {
  const map = new Map<string, TemplateVersion>();
  for (const t of catalog) if (!map.has(t.key)) map.set(t.key, t);
  // The definition being checked stands in for any catalog version of itself.
  map.set(def.key, def);
  return map;
}

function checkNames(def: TemplateVersion, p: Problems) {
  const seen = new Set<string>();
  const check = (name: string, path: Path) => {
    if (RESERVED_NAMES.has(name)) p.add(path, 'reservedName', { name });
    else if (seen.has(name)) p.add(path, 'duplicateName', { name });
    seen.add(name);
  };
  def.fields.forEach((f, i) => check(f.name, ['fields', i, 'name']));
  def.computed.forEach((c, i) => check(c.name, ['computed', i, 'name']));
}

function checkParameters(def: TemplateVersion, p: Problems) {
  const seen = new Set<string>();
  def.tenantParameters.forEach((param, i) => {
    const at = ['tenantParameters', i];
    if (seen.has(param.name)) p.add([...at, 'name'], 'duplicateParameter', { parameter: param.name });
    seen.add(param.name);
    if (param.type === 'position') return;
    const { min, max } = param;
    if (param.type === 'number' && ![param.default, min ?? 0, max ?? 0].every(Number.isInteger)) {
      p.add([...at, 'default'], 'parameterNotInteger', { parameter: param.name });
    }
    if (min !== undefined && max !== undefined && min > max) {
      p.add([...at, 'min'], 'parameterBoundsInverted', { parameter: param.name, min, max });
    } else if ((min !== undefined && param.default < min) || (max !== undefined && param.default > max)) {
      p.add([...at, 'default'], 'parameterDefaultOutOfBounds', {
        parameter: param.name,
        value: param.default,
        min: min ?? '—',
        max: max ?? '—',
      });
    }
  });
}

function checkFields(def: TemplateVersion, roles: ReadonlySet<string>, templates: Map<string, TemplateVersion>, p: Problems) {
  const steps = new Map(def.route.map((s) => [s.id, s]));
  def.fields.forEach((field, i) => {
    field.editableAt.forEach((stepId, j) => {
      if (stepId === DRAFT) return;
      const step = steps.get(stepId);
      if (!step) p.add(['fields', i, 'editableAt', j], 'unknownStep', { field: field.name, stepId });
      else if (step.kind !== 'prepare') p.add(['fields', i, 'editableAt', j], 'stepCannotEdit', { field: field.name, stepId });
    });
    if (field.type === 'staff' && field.role !== undefined && !roles.has(field.role)) {
      p.add(['fields', i, 'role'], 'unknownFieldRole', { field: field.name, role: field.role });
    }
    if (field.type === 'document' && !templates.has(field.template)) {
      p.add(['fields', i, 'template'], 'unknownTemplate', { template: field.template });
    }
  });
}

function checkRoute(def: TemplateVersion, roles: ReadonlySet<string>, p: Problems) {
  const seen = new Set<string>();
  const parameters = new Map(def.tenantParameters.map((t) => [t.name, t]));
  const groups = new Map<string, number[]>();

  def.route.forEach((step, i) => {
    const at = ['route', i];
    const named = { step: i + 1, stepId: step.id };
    if (step.id === DRAFT) p.add([...at, 'id'], 'reservedStepId', named);
    else if (seen.has(step.id)) p.add([...at, 'id'], 'duplicateStepId', named);
    seen.add(step.id);

    const a = step.assignee;
    if ((a.type === 'role' || a.type === 'unitRole') && !roles.has(a.role)) {
      p.add([...at, 'assignee', 'role'], 'unknownRole', { ...named, role: a.role });
    }
    if (a.type === 'position' && parameters.get(a.position)?.type !== 'position') {
      p.add([...at, 'assignee', 'position'], 'unknownPosition', { ...named, position: a.position });
    }
    if (a.type === 'staffField') {
      const field = def.fields.find((f) => f.name === a.field);
      const earlier = new Set([DRAFT, ...def.route.slice(0, i).map((s) => s.id)]);
      if (!field) p.add([...at, 'assignee', 'field'], 'unknownField', { field: a.field });
      else if (field.type !== 'staff') p.add([...at, 'assignee', 'field'], 'assigneeFieldNotStaff', { ...named, field: a.field });
      else if (!field.required || !field.editableAt.some((s) => earlier.has(s))) {
        p.add([...at, 'assignee', 'field'], 'assigneeFieldNotFilledBefore', { ...named, field: a.field });
      }
    }

    if (typeof step.slaHours === 'string') {
      const parameter = parameters.get(step.slaHours);
      if (!parameter) p.add([...at, 'slaHours'], 'unknownSlaParameter', { ...named, parameter: step.slaHours });
      else if (parameter.type !== 'hours') p.add([...at, 'slaHours'], 'parameterWrongType', { parameter: step.slaHours, expected: 'hours' });
    }
    if (step.blocking !== undefined && step.kind !== 'consult') p.add([...at, 'blocking'], 'blockingOnlyForConsult', named);
    if (step.kind === 'prepare' && !def.fields.some((f) => f.editableAt.includes(step.id))) {
      p.add(at, 'prepareStepWithoutFields', named);
    }

    if (step.parallel) {
      const members = groups.get(step.parallel.group) ?? [];
      const group = step.parallel.group;
      if (members.length > 0 && members[members.length - 1] !== i - 1) {
        p.add([...at, 'parallel', 'group'], 'parallelGroupNotContiguous', { ...named, group });
      } else if (members.length > 0 && JSON.stringify(def.route[members[0]].parallel?.quorum) !== JSON.stringify(step.parallel.quorum)) {
        p.add([...at, 'parallel', 'quorum'], 'parallelQuorumDiffers', { ...named, group });
      }
      groups.set(group, [...members, i]);
    }
  });

  for (const [group, members] of groups) {
    const first = members[0];
    const quorum = def.route[first].parallel?.quorum;
    const named = { step: first + 1, stepId: def.route[first].id, group };
    if (members.length === 1) p.add(['route', first, 'parallel', 'group'], 'parallelGroupTooSmall', named);
    else if (typeof quorum === 'object' && quorum.n > members.length) {
      p.add(['route', first, 'parallel', 'quorum', 'n'], 'parallelQuorumTooLarge', { ...named, n: quorum.n, size: members.length });
    }
  }
}

function checkComputed(def: TemplateVersion, p: Problems) {
  const compiled = compiledExpressions(def);
  const fields = new Map(def.fields.map((f) => [f.name, f]));
  const computed = new Set(def.computed.map((c) => c.name));
  const parameters = new Map(def.tenantParameters.map((t) => [t.name, t]));
  const deps = new Map<string, string[]>();

  def.computed.forEach((c, i) => {
    const at = ['computed', i, 'expression'];
    const expr = compiled.get(c.name);
    if (!expr) return;
    if (expr instanceof ExpressionError) {
      if (expr.code === 'expressionSyntax' || expr.code === 'expressionNotAllowed') p.add(at, expr.code, { computed: c.name, ...expr.params });
      return;
    }
    deps.set(c.name, expr.symbols.filter((s) => computed.has(s)));
    for (const symbol of expr.symbols) {
      const field = fields.get(symbol);
      const parameter = parameters.get(symbol);
      if (field) {
        if (!NUMERIC_FIELD_TYPES.has(field.type)) p.add(at, 'symbolNotNumeric', { computed: c.name, symbol });
      } else if (parameter) {
        if (parameter.type === 'position') p.add(at, 'symbolNotNumeric', { computed: c.name, symbol });
      } else if (!computed.has(symbol)) {
        p.add(at, 'unknownSymbol', { computed: c.name, symbol });
      }
    }
  });

  def.computed.forEach((c, i) => {
    const cycle = findPath(c.name, c.name, (n) => deps.get(n) ?? []);
    if (cycle) p.add(['computed', i, 'expression'], 'computedCycle', { computed: c.name, cycle: arrow(cycle) });
  });
}

/** A path from `from` back to `to` through `next`, as names, starting with `from`. */
function findPath(from: string, to: string, next: (name: string) => readonly string[]): string[] | undefined {
  const parent = new Map<string, string>();
  const queue = [...next(from)];
  for (const n of queue) if (!parent.has(n)) parent.set(n, from);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    if (node === to) {
      const path = [to];
      for (let cur = parent.get(node)!; cur !== from; cur = parent.get(cur)!) path.unshift(cur);
      return [from, ...path];
    }
    for (const n of next(node)) {
      if (!parent.has(n)) {
        parent.set(n, node);
        queue.push(n);
      }
    }
  }
  return undefined;
}

function paramIssue(rule: string, issue: z.core.$ZodIssue): { path: Path; code: MessageCode; params: MessageParams }[] {
  const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  const param = path.join('.');
  switch (issue.code) {
    case 'too_small':
      return [{ path, code: 'ruleParamTooSmall', params: { rule, param, minimum: Number(issue.minimum) } }];
    case 'too_big':
      return [{ path, code: 'ruleParamTooLarge', params: { rule, param, maximum: Number(issue.maximum) } }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], code: 'ruleParamInvalid' as const, params: { rule, param: key } }));
    default:
      return [{ path, code: 'ruleParamInvalid', params: { rule, param } }];
  }
}

function checkRuleUses(def: TemplateVersion, p: Problems) {
  def.rules.forEach((use, i) => {
    const at = ['rules', i];
    const rule = ruleLibrary.get(use.rule);
    if (!rule) {
      p.add([...at, 'rule'], 'unknownRule', { rule: use.rule });
      return;
    }
    const parsed = rule.params.safeParse(use.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        for (const x of paramIssue(rule.name, issue)) p.add([...at, 'params', ...x.path], x.code, x.params);
      }
    }
    const slotNames = new Set(rule.slots.map((s) => s.name));
    for (const key of Object.keys(use.fields)) {
      if (!slotNames.has(key)) p.add([...at, 'fields', key], 'unknownRuleSlot', { rule: rule.name, slot: key });
    }
    for (const slot of rule.slots) {
      const target = resolveSlot(def, use, slot);
      const path = [...at, 'fields', slot.name];
      if (!target) {
        if (use.fields[slot.name] !== undefined) p.add(path, 'unknownField', { field: use.fields[slot.name] });
        else if (!slot.optional) p.add(path, 'ruleSlotUnmapped', { rule: rule.name, slot: slot.name });
      } else if (!target.kind || !slot.accepts.includes(target.kind)) {
        p.add(path, 'ruleSlotType', { rule: rule.name, slot: slot.name, field: target.name, expected: slot.accepts.join(', ') });
      }
    }
    if (parsed.success && rule.definitionProblems) {
      const problems = rule.definitionProblems({
        template: def,
        use,
        params: parsed.data,
        at,
        resolve: (name) => {
          const slot = rule.slots.find((s) => s.name === name);
          return slot && resolveSlot(def, use, slot);
        },
      });
      for (const x of problems) p.add(x.path, x.code, x.params);
    }
  });
}

function fieldOrComputed(def: TemplateVersion, name: string): Field | Computed | undefined {
  return def.fields.find((f) => f.name === name) ?? def.computed.find((c) => c.name === name);
}

function checkFollowUps(def: TemplateVersion, templates: Map<string, TemplateVersion>, p: Problems) {
  def.followUps.forEach((followUp, k) => {
    const at = ['followUps', k];
    const target = templates.get(followUp.template);
    if (!target) {
      p.add([...at, 'template'], 'unknownTemplate', { template: followUp.template });
      return;
    }
    for (const [targetName, sourceName] of Object.entries(followUp.carry)) {
      const path = [...at, 'carry', targetName];
      const targetField = target.fields.find((f) => f.name === targetName);
      const source = fieldOrComputed(def, sourceName);
      if (!targetField) p.add(path, 'unknownTargetField', { template: target.key, field: targetName });
      else if (!source) p.add(path, 'unknownField', { field: sourceName });
      else if (!carryCompatible(carryType(source), targetField.type)) {
        p.add(path, 'carryTypeMismatch', { template: target.key, field: targetName, source: sourceName });
      }
    }
    if (followUp.link !== undefined) {
      const link = target.fields.find((f) => f.name === followUp.link);
      if (link?.type !== 'document' || link.template !== def.key) {
        p.add([...at, 'link'], 'linkFieldInvalid', { template: target.key, field: followUp.link });
      }
    }
    const next = (key: string) => templates.get(key)?.followUps.map((f) => f.template) ?? [];
    const back = followUp.template === def.key ? [def.key] : findPath(followUp.template, def.key, next);
    if (back) p.add([...at, 'template'], 'followUpCycle', { cycle: arrow([def.key, ...back]) });
  });
}

function checkAggregate(def: TemplateVersion, templates: Map<string, TemplateVersion>, p: Problems) {
  const agg = def.aggregate;
  if (!agg) return;
  const source = templates.get(agg.from);
  if (!source) {
    p.add(['aggregate', 'from'], 'unknownTemplate', { template: agg.from });
    return;
  }
  const own = (name: string) => def.fields.find((f) => f.name === name);
  const theirs = (name: string) => fieldOrComputed(source, name);

  const period = own(agg.periodField);
  if (!period) p.add(['aggregate', 'periodField'], 'unknownField', { field: agg.periodField });
  else if (period.type !== 'month') p.add(['aggregate', 'periodField'], 'fieldWrongType', { field: agg.periodField, expected: 'month' });

  const date = source.fields.find((f) => f.name === agg.dateField);
  if (!date) p.add(['aggregate', 'dateField'], 'unknownTargetField', { template: source.key, field: agg.dateField });
  else if (date.type !== 'date' && date.type !== 'datetime') {
    p.add(['aggregate', 'dateField'], 'fieldWrongType', { field: agg.dateField, expected: 'date, datetime' });
  }

  for (const [mine, other] of Object.entries(agg.match)) {
    const path = ['aggregate', 'match', mine];
    const a = own(mine);
    const b = theirs(other);
    if (!a) p.add(path, 'unknownField', { field: mine });
    else if (!b) p.add(path, 'unknownTargetField', { template: source.key, field: other });
    else if (carryType(a) !== carryType(b)) p.add(path, 'carryTypeMismatch', { template: def.key, field: mine, source: other });
  }
  for (const [mine, other] of Object.entries(agg.sum)) {
    const path = ['aggregate', 'sum', mine];
    const a = own(mine);
    const b = theirs(other);
    if (!a) p.add(path, 'unknownField', { field: mine });
    else if (!SUMMABLE.has(a.type)) p.add(path, 'fieldWrongType', { field: mine, expected: 'number, decimal, money' });
    else if (!b) p.add(path, 'unknownTargetField', { template: source.key, field: other });
    else if (!SUMMABLE.has(carryType(b))) p.add(path, 'fieldWrongType', { field: other, expected: 'number, decimal, money' });
  }
}

export function validateTemplate(def: TemplateVersion, options: ValidationOptions): Problem[] {
  const p = new Problems();
  const roles = new Set(options.roles ?? STANDARD_ROLES);
  const templates = byKey(def, options.catalog);
  checkNames(def, p);
  checkParameters(def, p);
  checkFields(def, roles, templates, p);
  checkRoute(def, roles, p);
  checkComputed(def, p);
  checkRuleUses(def, p);
  checkFollowUps(def, templates, p);
  checkAggregate(def, templates, p);
  return p.list;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Schema issues as problems, with codes the editor can translate. */
export function schemaProblems(input: unknown, issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
    switch (issue.code) {
      case 'custom': {
        const { code, ...params } = (issue.params ?? {}) as Record<string, string | number>;
        return [{ path, code: typeof code === 'string' && isMessageCode(code) ? code : 'invalid', params }];
      }
      case 'invalid_type':
        return [{ path, code: valueAt(input, issue.path) === undefined ? 'missing' : 'invalid', params: {} }];
      case 'too_small':
        return [{ path, code: 'shapeTooSmall', params: { minimum: Number(issue.minimum) } }];
      case 'too_big':
        return [{ path, code: 'shapeTooBig', params: { maximum: Number(issue.maximum) } }];
      case 'invalid_format':
        return [{ path, code: 'badFormat', params: {} }];
      case 'invalid_value':
        return [{ path, code: 'notAllowedValue', params: { allowed: issue.values.map(String).join(', ') } }];
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], code: 'unknownKey' as const, params: { key } }));
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options;
        return [
          options
            ? { path, code: 'notAllowedValue', params: { allowed: options.map(String).join(', ') } }
            : { path, code: 'invalid', params: {} },
        ];
      }
      default:
        return [{ path, code: 'invalid', params: {} }];
    }
  });
}

/**
 * Everything the editor's publish button needs: the parsed definition when its shape is
 * right, and every problem, shape or reference, with where it is.
 */
export function checkTemplate(
  input: unknown,
  options: ValidationOptions,
): { template: TemplateVersion; problems: Problem[] } | { template: undefined; problems: Problem[] } {
  const parsed = templateVersionSchema.safeParse(input);
  if (!parsed.success) return { template: undefined, problems: schemaProblems(input, parsed.error.issues) };
  return { template: parsed.data, problems: validateTemplate(parsed.data, options) };
}

/**
 * A catalog as a whole: each template against all the others, plus duplicate keys. Paths
 * start with the template's index in `defs`.
 */
export function validateCatalog(defs: readonly TemplateVersion[], options: { roles?: readonly string[] } = {}): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  defs.forEach((def, i) => {
    if (seen.has(def.key)) problems.push({ path: [i, 'key'], code: 'duplicateTemplateKey', params: { template: def.key } });
    seen.add(def.key);
    for (const problem of validateTemplate(def, { catalog: defs, roles: options.roles })) {
      problems.push({ ...problem, path: [i, ...problem.path] });
    }
  });
  return problems;
}
