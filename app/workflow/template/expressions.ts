import {
  absDependencies,
  addDependencies,
  bignumberDependencies,
  create,
  divideDependencies,
  isBigNumber,
  maxDependencies,
  minDependencies,
  multiplyDependencies,
  parseDependencies,
  subtractDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  type BigNumber,
  type FunctionNode,
  type MathNode,
  type OperatorNode,
  type SymbolNode,
} from 'mathjs';
import type { Rounding } from './schema';
import { dayMinutes, nightMinutes, workMinutes } from './work-time';

/**
 * Computed values (DESIGN §4): mathjs parses and evaluates, with BigNumber arithmetic so
 * money never touches a float. The instance holds only the arithmetic it needs, the
 * functions mathjs's security notes name as risky are replaced by ones that throw, and each
 * parsed tree is checked against a whitelist of node kinds before it is compiled.
 *
 * The instance is made on first use, not when this module loads: building its typed functions
 * is most of what the module costs, and every page with a template's form loads it (field
 * values, validation, the live figures) while few of them compute anything before the user
 * types.
 */
function makeInstance() {
  const math = create(
    {
      parseDependencies,
      addDependencies,
      subtractDependencies,
      multiplyDependencies,
      divideDependencies,
      unaryMinusDependencies,
      unaryPlusDependencies,
      minDependencies,
      maxDependencies,
      absDependencies,
      bignumberDependencies,
    },
    { number: 'BigNumber', precision: 64 },
  );
  // Kept before `parse` itself is disabled on the instance, as mathjs's security example does.
  const parse = math.parse;

  /**
   * Exact working time (work-time.ts): `workMinutes(date, start, end)`, `nightMinutes(date,
   * start, end)` and `dayMinutes(date, start, end, offset)` take a date as days since 1970 and
   * times as minutes since that date's midnight (an end past midnight as more than 1440, as
   * compute.ts gives it), and count the minutes that really pass in Europe/Belgrade — so the
   * nights clocks change have their 7 or 9 hours.
   */
  const workTimeFunctions: Record<keyof typeof ARITY, (...args: BigNumber[]) => BigNumber> = {
    workMinutes: (day, start, end) => math.bignumber(workMinutes(whole(day), whole(start), whole(end))),
    nightMinutes: (day, start, end) => math.bignumber(nightMinutes(whole(day), whole(start), whole(end))),
    dayMinutes: (day, start, end, offset) => math.bignumber(dayMinutes(whole(day), whole(start), whole(end), whole(offset))),
  };
  math.import(workTimeFunctions);

  const disabled = (name: string) => () => {
    throw new Error(`Function ${name} is disabled`);
  };
  math.import(
    Object.fromEntries(
      ['import', 'createUnit', 'reviver', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve'].map(
        (name) => [name, disabled(name)],
      ),
    ),
    { override: true },
  );
  return { math, parse };
}

let instance: ReturnType<typeof makeInstance> | undefined;
const mathjs = () => (instance ??= makeInstance());

/** A whole number argument (a day or minute count) as a JS number; anything else is refused. */
function whole(value: BigNumber): number {
  if (!isBigNumber(value) || !value.isInteger()) throw new ExpressionError('expressionBadValue', { value: String(value) });
  return value.toNumber();
}

/** The working-time functions' argument counts. */
const ARITY = { workMinutes: 3, nightMinutes: 3, dayMinutes: 4 } as const satisfies Record<string, number>;

const FUNCTIONS = new Set(['min', 'max', 'abs', ...Object.keys(ARITY)]);
const OPERATORS: Record<string, ReadonlySet<number>> = {
  add: new Set([2]),
  subtract: new Set([2]),
  multiply: new Set([2]),
  divide: new Set([2]),
  unaryMinus: new Set([1]),
  unaryPlus: new Set([1]),
};

/** Names an author cannot give a field: they mean something else inside an expression. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...FUNCTIONS,
  'and',
  'or',
  'not',
  'xor',
  'mod',
  'to',
  'in',
  'end', // mathjs refuses it as a scope name
  'true',
  'false',
  'null',
  'undefined',
  'e',
  'i',
  'pi',
]);

export type ExpressionErrorCode =
  | 'expressionSyntax'
  | 'expressionNotAllowed'
  | 'expressionMissingValue'
  | 'expressionBadValue'
  | 'expressionNotFinite'
  | 'expressionFailed';

export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'ExpressionError';
  }
}

/** Symbol values: decimal strings (`"12.50"`), finite numbers, or mathjs BigNumbers. */
export type ExpressionScope = Readonly<Record<string, string | number | BigNumber>>;

export interface CompiledExpression {
  readonly source: string;
  /** Every name the expression reads; tenant parameters appear dotted (`premium.overtime`). */
  readonly symbols: readonly string[];
  /** The value as a plain decimal string, rounded when a rounding is given. */
  evaluate(scope: ExpressionScope, rounding?: Rounding): string;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** An exact decimal; throws on anything that is not a plain decimal or a finite number. */
export function toDecimal(value: string | number | BigNumber): BigNumber {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ExpressionError('expressionBadValue', { value: String(value) });
    // String() gives the shortest decimal that round-trips, so 0.1 stays 0.1.
    return mathjs().math.bignumber(String(value));
  }
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) throw new ExpressionError('expressionBadValue', { value });
    return mathjs().math.bignumber(value);
  }
  return value;
}

export function compareDecimals(a: string | number, b: string | number): -1 | 0 | 1 {
  return toDecimal(a).comparedTo(toDecimal(b)) as -1 | 0 | 1;
}

const ROUNDING: Record<Rounding['mode'], number> = {
  halfUp: 4, // Decimal.ROUND_HALF_UP: commercial rounding, away from zero at .5
  halfEven: 6, // Decimal.ROUND_HALF_EVEN
  down: 1, // Decimal.ROUND_DOWN: towards zero
  up: 0, // Decimal.ROUND_UP: away from zero
};

/** Rounds to a fixed number of decimals and prints without exponent or negative zero. */
export function formatDecimal(value: string | number | BigNumber, rounding?: Rounding): string {
  let d = toDecimal(value);
  if (rounding) d = d.toDecimalPlaces(rounding.decimals, ROUNDING[rounding.mode] as Parameters<BigNumber['toDecimalPlaces']>[1]);
  if (d.isZero()) d = d.abs();
  return rounding ? d.toFixed(rounding.decimals) : d.toFixed();
}

function notAllowed(construct: string): never {
  throw new ExpressionError('expressionNotAllowed', { construct });
}

/** `premium.overtime` parses as property access; it is a symbol name here, nothing more. */
function dottedName(node: MathNode): string {
  if (node.type === 'SymbolNode') return (node as SymbolNode).name;
  if (node.type !== 'AccessorNode') return notAllowed(node.type);
  const accessor = node as MathNode & { object: MathNode; index: MathNode & { dimensions: MathNode[]; dotNotation: boolean } };
  const [key] = accessor.index.dimensions;
  if (!accessor.index.dotNotation || accessor.index.dimensions.length !== 1 || key.type !== 'ConstantNode') {
    return notAllowed('AccessorNode');
  }
  return `${dottedName(accessor.object)}.${String((key as MathNode & { value: unknown }).value)}`;
}

function check(node: MathNode, parent: MathNode | null, symbols: Set<string>): void {
  switch (node.type) {
    case 'ConstantNode':
      if (!isBigNumber((node as MathNode & { value: unknown }).value)) notAllowed('constant');
      return;
    case 'SymbolNode':
      if (parent?.type === 'FunctionNode' && (parent as FunctionNode).fn === node) return;
      symbols.add((node as SymbolNode).name);
      return;
    case 'ParenthesisNode':
      return;
    case 'OperatorNode': {
      const op = node as OperatorNode;
      if (op.implicit) notAllowed('implicitMultiplication');
      if (!OPERATORS[op.fn]?.has(op.args.length)) notAllowed(op.op);
      return;
    }
    case 'FunctionNode': {
      const fn = (node as FunctionNode).fn as MathNode;
      if (fn.type !== 'SymbolNode' || !FUNCTIONS.has((fn as SymbolNode).name)) notAllowed(fn.type === 'SymbolNode' ? (fn as SymbolNode).name : fn.type);
      const name = (fn as SymbolNode).name;
      const count = (node as FunctionNode).args.length;
      if (count === 0 || (Object.hasOwn(ARITY, name) && count !== ARITY[name as keyof typeof ARITY])) notAllowed(`${name}()`);
      return;
    }
    default:
      notAllowed(node.type);
  }
}

export function compileExpression(source: string): CompiledExpression {
  let tree: MathNode;
  try {
    tree = mathjs().parse(source);
  } catch (e) {
    const position = /char (\d+)/.exec(e instanceof Error ? e.message : '');
    throw new ExpressionError('expressionSyntax', { position: position ? Number(position[1]) : 0 });
  }
  const flat = tree.transform((node) => (node.type === 'AccessorNode' ? new (mathjs().math.SymbolNode)(dottedName(node)) : node));
  const symbols = new Set<string>();
  flat.traverse((node, _path, parent) => check(node, parent, symbols));
  const code = flat.compile();
  const names = [...symbols].sort();

  return {
    source,
    symbols: names,
    evaluate(scope, rounding) {
      // Only the declared symbols go in, each one required: a missing value must never fall
      // through to a mathjs constant or unit of the same name.
      const values = new Map<string, BigNumber>();
      for (const name of names) {
        const value = Object.hasOwn(scope, name) ? scope[name] : undefined;
        if (value === undefined) throw new ExpressionError('expressionMissingValue', { symbol: name });
        values.set(name, toDecimal(value));
      }
      let result: unknown;
      try {
        result = code.evaluate(values);
      } catch (e) {
        throw new ExpressionError('expressionFailed', { source, reason: e instanceof Error ? e.message : String(e) });
      }
      if (!isBigNumber(result) || !result.isFinite()) throw new ExpressionError('expressionNotFinite', { source });
      return formatDecimal(result, rounding);
    },
  };
}

/**
 * The expression as written, each name replaced by the text `valueOf` gives it (names it gives
 * nothing for, such as functions, stay): what a computed amount is made of, for a reader.
 */
/** Expressions parsed with their dotted names flattened, by source: templates' texts are few and never change. */
const flattened = new Map<string, MathNode>();

function flatOf(source: string): MathNode {
  let flat = flattened.get(source);
  if (!flat) {
    if (flattened.size >= 1000) flattened.clear();
    flat = mathjs().parse(source).transform((node) => (node.type === 'AccessorNode' ? new (mathjs().math.SymbolNode)(dottedName(node)) : node));
    flattened.set(source, flat);
  }
  return flat;
}

export function substituteSymbols(source: string, valueOf: (name: string) => string | undefined): string {
  return flatOf(source).toString({
    parenthesis: 'keep',
    handler: (node: MathNode) => {
      if (node.type !== 'SymbolNode') return undefined;
      return valueOf((node as SymbolNode).name);
    },
  });
}
