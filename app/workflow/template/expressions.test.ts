import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, formatDecimal } from './expressions';

function errorOf(fn: () => unknown): { code: string; params: Record<string, string | number> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExpressionError) return { code: e.code, params: e.params };
    throw e;
  }
  throw new Error('expected an ExpressionError');
}

describe('compileExpression', () => {
  it('collects the names an expression reads, dotted tenant parameters included, function names not', () => {
    const c = compileExpression('max(0, nightHours) * hourlyRate * premium.night / 100 + abs(x)');
    expect(c.symbols).toEqual(['hourlyRate', 'nightHours', 'premium.night', 'x']);
  });

  it('computes in decimals, never in binary floats', () => {
    expect(compileExpression('a + b').evaluate({ a: '0.1', b: '0.2' })).toBe('0.3');
    expect(compileExpression('a * 3').evaluate({ a: 0.1 })).toBe('0.3');
  });

  it.each([
    ['import({}, {override: true})', 'import'],
    ['createUnit("foo")', 'createUnit'],
    ['evaluate("1 + 1")', 'evaluate'],
    ['parse("x")', 'parse'],
    ['simplify("x + x")', 'simplify'],
    ['derivative("x^2", "x")', 'derivative'],
    ['resolve(x)', 'resolve'],
    ['sqrt(4)', 'sqrt'],
    ['x = 5', 'AssignmentNode'],
    ['f(x) = x', 'FunctionAssignmentNode'],
    ['x.constructor("alert(1)")', 'x.constructor'],
    ['x["constructor"]', 'AccessorNode'],
    ['[1, 2]', 'ArrayNode'],
    ['{a: 1}', 'ObjectNode'],
    ['x ? 1 : 2', 'ConditionalNode'],
    ['1:3', 'RangeNode'],
    ['x; y', 'BlockNode'],
    ['2 x', 'implicitMultiplication'],
    ['5 cm', 'implicitMultiplication'],
    ['"text"', 'constant'],
    ['true', 'constant'],
    ['x ^ 2', '^'],
    ['x % 2', '%'],
    ['x > 2', '>'],
    ['x and y', 'and'],
    ['max()', 'max()'],
  ])('refuses %s', (source, construct) => {
    expect(errorOf(() => compileExpression(source))).toEqual({ code: 'expressionNotAllowed', params: { construct } });
  });

  it('reports a syntax error with its position', () => {
    expect(errorOf(() => compileExpression('(a + b'))).toEqual({ code: 'expressionSyntax', params: { position: 7 } });
  });

  it('never falls back to a constant or unit of the same name when a value is missing', () => {
    const c = compileExpression('pi * h');
    expect(errorOf(() => c.evaluate({ h: '1' }))).toEqual({ code: 'expressionMissingValue', params: { symbol: 'pi' } });
    expect(errorOf(() => c.evaluate({ pi: '3' }))).toEqual({ code: 'expressionMissingValue', params: { symbol: 'h' } });
    expect(c.evaluate({ pi: '3', h: '2' })).toBe('6');
  });

  it('refuses values that are not plain decimals, and results that are not finite', () => {
    const c = compileExpression('a / b');
    expect(errorOf(() => c.evaluate({ a: '1e3', b: '1' })).code).toBe('expressionBadValue');
    expect(errorOf(() => c.evaluate({ a: Number.NaN, b: '1' })).code).toBe('expressionBadValue');
    expect(errorOf(() => c.evaluate({ a: '1', b: '0' })).code).toBe('expressionNotFinite');
  });

  it('rounds money half-up to the para: exactly what integer arithmetic gives', () => {
    const c = compileExpression('hours * rate * premium / 100');
    const cents = (n: bigint) => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 40_000n }), // hours × 100
        fc.bigInt({ min: 1n, max: 1_000_000n }), // rate in paras
        fc.bigInt({ min: 2_600n, max: 50_000n }), // premium % × 100
        (h, r, p) => {
          // h/100 × r/100 × p/100 / 100 = h·r·p / 10^8 dinars = h·r·p / 10^6 paras.
          const product = h * r * p;
          const expected = product / 1_000_000n + (2n * (product % 1_000_000n) >= 1_000_000n ? 1n : 0n);
          const scope = { hours: cents(h), rate: cents(r), premium: cents(p) };
          expect(c.evaluate(scope, { decimals: 2, mode: 'halfUp' })).toBe(cents(expected));
        },
      ),
    );
  });
});

describe('formatDecimal', () => {
  it.each([
    ['2.345', 'halfUp', '2.35'],
    ['-2.345', 'halfUp', '-2.35'],
    ['2.345', 'halfEven', '2.34'],
    ['2.355', 'halfEven', '2.36'],
    ['2.349', 'down', '2.34'],
    ['2.341', 'up', '2.35'],
    ['-0.001', 'halfUp', '0.00'],
    ['7', 'halfUp', '7.00'],
  ] as const)('%s rounded %s is %s', (value, mode, expected) => {
    expect(formatDecimal(value, { decimals: 2, mode })).toBe(expected);
  });

  it('prints large and small values without an exponent', () => {
    expect(formatDecimal('123456789012345678901234.5')).toBe('123456789012345678901234.5');
    expect(formatDecimal('0.0000001')).toBe('0.0000001');
  });
});
