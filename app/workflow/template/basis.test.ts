import { describe, expect, it } from 'vitest';
import { overtimePaySlip } from '../catalog/overtime-pay-slip';
import { moneyBasis } from './basis';
import { computeValues } from './compute';
import { templateVersionSchema } from './schema';

const slip = templateVersionSchema.parse(overtimePaySlip);
const values = { totalHours: '6.50', nightHours: '0.50', holidayHours: '0.00', hourlyRate: '650.00' };
const tenantParameters = { 'premium.overtime': 26, 'premium.night': 26, 'premium.holiday': 110 };

describe('moneyBasis', () => {
  it('states what each amount of the pay slip is made of, in the reader’s locale', () => {
    const computed = computeValues(slip, { values, tenantParameters });
    expect(computed.overtimeIncrease).toBe('1098.50');
    const sr = moneyBasis(slip, { values, computed, tenantParameters }, 'sr-Cyrl');
    expect(sr.baseAmount).toBe('6,50 × 650,00\u00a0дин.');
    expect(sr.overtimeIncrease).toBe('6,50 × 650,00\u00a0дин. × 26\u00a0%');
    expect(sr.nightIncrease).toBe('0,50 × 650,00\u00a0дин. × 26\u00a0%');
    expect(sr.totalAmount).toBe('4.225,00\u00a0дин. + 1.098,50\u00a0дин. + 84,50\u00a0дин. + 0,00\u00a0дин.');
    const en = moneyBasis(slip, { values, computed, tenantParameters }, 'en');
    expect(en.overtimeIncrease).toBe('6.50 × RSD\u00a0650.00 × 26\u00a0%');
  });

  it('states no basis for an amount not computed yet', () => {
    const partial = { ...values, hourlyRate: undefined };
    const computed = computeValues(slip, { values: partial, tenantParameters });
    expect(moneyBasis(slip, { values: partial, computed, tenantParameters }, 'sr-Cyrl')).toEqual({});
  });

  it('states no basis that would not give the amount shown (the premiums changed since it was computed)', () => {
    const computed = computeValues(slip, { values, tenantParameters });
    const raised = { ...tenantParameters, 'premium.overtime': 30 };
    const basis = moneyBasis(slip, { values, computed, tenantParameters: raised }, 'sr-Cyrl');
    expect(basis.overtimeIncrease).toBeUndefined();
    expect(basis.totalAmount).toBeUndefined();
    expect(basis.baseAmount).toBe('6,50 × 650,00\u00a0дин.');
  });
});
