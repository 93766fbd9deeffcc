import { describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { parameterDescriptors, resolveTenantParameters, tenantParametersSchema } from './parameters';

const slip = standardCatalog.find((t) => t.key === 'overtime-pay-slip')!;
const mail = standardCatalog.find((t) => t.key === 'incoming-mail')!;

describe('tenant parameters', () => {
  it('take the template defaults unless the tenant adopted other values', () => {
    expect(resolveTenantParameters(slip)).toEqual({ 'premium.overtime': 26, 'premium.night': 26, 'premium.holiday': 110 });
    expect(resolveTenantParameters(slip, { 'premium.night': 30, 'premium.unknown': 1 })).toEqual({
      'premium.overtime': 26,
      'premium.night': 30,
      'premium.holiday': 110,
    });
    expect(resolveTenantParameters(mail)).toEqual({});
  });

  it('let a tenant raise a premium above the legal minimum but never lower it', () => {
    const schema = tenantParametersSchema(slip, { locale: 'sr-Cyrl' });
    expect(schema.parse({ 'premium.overtime': '30,5', 'premium.night': '26', 'premium.holiday': 110 })).toEqual({
      'premium.overtime': 30.5,
      'premium.night': 26,
      'premium.holiday': 110,
    });
    const refused = schema.safeParse({ 'premium.overtime': '25,99', 'premium.night': '26', 'premium.holiday': '109.99' });
    expect(refused.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['premium.overtime'], 'Најмања дозвољена вредност је 26'],
      [['premium.holiday'], 'Најмања дозвољена вредност је 110'],
    ]);
  });

  it('require every numeric parameter and refuse more decimals than the type allows', () => {
    const schema = tenantParametersSchema(slip, { locale: 'en' });
    expect(schema.safeParse({ 'premium.overtime': '26.125', 'premium.night': '26' }).error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['premium.overtime'], 'At most 2 decimal places are allowed'],
      [['premium.holiday'], 'This field is required'],
    ]);
  });

  it('describe themselves for the adoption form in the chosen locale', () => {
    expect(parameterDescriptors(slip, 'sr-Latn')[0]).toEqual({
      name: 'premium.overtime',
      type: 'percent',
      label: 'Uvećanje za prekovremeni rad (%)',
      help: 'Zakonski minimum je 26 % od osnovice (Zakon o radu, član 108); opšti akt ili kolektivni ugovor može odrediti više.',
      default: 26,
      min: 26,
      max: 500,
      scale: 2,
    });
  });
});
