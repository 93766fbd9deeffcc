import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeValues } from '#app/workflow/template/compute';
import { fieldDescriptors, submissionSchema } from '#app/workflow/template/form';
import { LOCALES, type Labels } from '#app/workflow/template/labels';
import { resolveTenantParameters } from '#app/workflow/template/parameters';
import { DRAFT, templateVersionSchema, type TemplateVersion } from '#app/workflow/template/schema';
import { validateCatalog } from '#app/workflow/template/validate';
import { incomingMail } from './incoming-mail';
import { standardCatalog, standardCatalogHistory } from './index';
import { leaveRequest } from './leave-request';
import { overtimePaySlip } from './overtime-pay-slip';
import { overtimeReport } from './overtime-report';
import { overtimeRequest } from './overtime-request';

const template = (key: string): TemplateVersion => standardCatalog.find((t) => t.key === key)!;

/** Every label of a definition, wherever it sits. */
function allLabels(value: unknown): Labels[] {
  if (Array.isArray(value)) return value.flatMap(allLabels);
  if (value === null || typeof value !== 'object') return [];
  if ('sr-Cyrl' in value && 'en' in value) return [value as Labels];
  return Object.values(value).flatMap(allLabels);
}

describe('the standard catalog', () => {
  it('passes the schema and whole-catalog validation', () => {
    for (const input of [overtimeRequest, overtimeReport, overtimePaySlip, leaveRequest, incomingMail]) {
      expect(templateVersionSchema.safeParse(input).error?.issues ?? []).toEqual([]);
    }
    expect(standardCatalog.map((t) => t.key)).toEqual([
      'overtime-request',
      'overtime-report',
      'overtime-pay-slip',
      'leave-request',
      'incoming-mail',
    ]);
    expect(validateCatalog(standardCatalog)).toEqual([]);
  });

  it('keeps every version it has published as it was published', () => {
    // A published version is never edited (databases hold it, documents pin it): a change is
    // a new version. These digests change only if someone edits a frozen file.
    const digest = (name: string) => createHash('sha256').update(readFileSync(new URL(`./published/${name}`, import.meta.url))).digest('hex');
    expect({
      'overtime-request.v1.json': digest('overtime-request.v1.json'),
      'overtime-report.v1.json': digest('overtime-report.v1.json'),
      'overtime-pay-slip.v1.json': digest('overtime-pay-slip.v1.json'),
    }).toEqual({
      'overtime-request.v1.json': '44883dad3f25bf3f82a1f0ed5405d8f257d881f04a1d73bbc4c6d8a47f46c7ad',
      'overtime-report.v1.json': '86f040519c4ed7e6cc759f03c1ca44d5fd559bc2be059d03385bb4d8ace25489',
      'overtime-pay-slip.v1.json': '7f5143c3795a33f1ab0f216115221163d630b27eb1fad9f6863d5c94725f71c3',
    });
    expect(standardCatalogHistory.map((t) => `${t.key}@${t.version}`)).toEqual(
      expect.arrayContaining(['overtime-request@1', 'overtime-report@1', 'overtime-pay-slip@1', 'overtime-request@2', 'overtime-report@2', 'overtime-pay-slip@2']),
    );
  });

  it('labels everything in Serbian Cyrillic, Serbian Latin and English', () => {
    for (const def of standardCatalog) {
      const labels = allLabels(def);
      expect(labels.length).toBeGreaterThan(def.fields.length);
      for (const l of labels) {
        for (const locale of LOCALES) expect(l[locale]).toMatch(/\S/);
        expect(l['sr-Cyrl']).toMatch(/[\u0400-\u04FF]/);
        expect(l['sr-Latn']).not.toMatch(/[\u0400-\u04FF]/);
        expect(l.en).not.toMatch(/[\u0400-\u04FF]/);
      }
    }
  });

  it('renders and accepts a filled-in form for every template at every step', () => {
    for (const def of standardCatalog) {
      for (const stepId of [DRAFT, ...def.route.filter((s) => s.kind === 'prepare').map((s) => s.id)]) {
        const descriptors = fieldDescriptors(def, 'sr-Cyrl').filter((d) => d.editableAt.includes(stepId));
        expect(descriptors.length).toBeGreaterThan(0);
        const sample: Record<string, string | string[]> = {};
        for (const d of descriptors) {
          const sampleOf: Record<string, string | string[]> = {
            text: 'Текст',
            textarea: 'Дужи текст',
            number: '1',
            decimal: '1,5',
            money: '1000,00',
            date: '2025-03-12',
            time: d.name.toLowerCase().includes('end') ? '20:00' : '16:00',
            datetime: '2025-03-12T16:00',
            month: '2025-03',
            checkbox: 'on',
            attachment: ['att-1'],
          };
          sample[d.name] = d.options?.[0].value ?? sampleOf[d.type] ?? 'id-1';
        }
        const result = submissionSchema(def, { locale: 'sr-Cyrl', stepId }).safeParse(sample);
        expect(result.error?.issues ?? [], `${def.key} at ${stepId}`).toEqual([]);
      }
    }
  });
});

describe('the overtime chain', () => {
  const request = template('overtime-request');
  const report = template('overtime-report');
  const slip = template('overtime-pay-slip');

  it('computes the requested hours to the minute (on the date: hours are those that really pass)', () => {
    expect(computeValues(request, { values: { date: '2025-03-12', plannedStart: '16:00', plannedEnd: '18:20' } })).toEqual({ hours: '2.33' });
    expect(computeValues(request, { values: { plannedStart: '16:00', plannedEnd: '18:20' } })).toEqual({});
  });

  it('offers the report on approval, linked to the request and pre-filled from it', () => {
    expect(request.followUps).toEqual([
      expect.objectContaining({ template: 'overtime-report', when: 'approved', mode: 'offer', link: 'request' }),
    ]);
    const link = report.fields.find((f) => f.name === 'request');
    expect(link).toMatchObject({ type: 'document', template: 'overtime-request', required: true });
  });

  it.each([
    ['16:00', '20:00', false, { hours: '4.00', nightHours: '0.00', holidayHours: '0.00' }],
    ['21:00', '23:30', false, { hours: '2.50', nightHours: '1.50', holidayHours: '0.00' }],
    ['04:15', '07:00', true, { hours: '2.75', nightHours: '1.75', holidayHours: '2.75' }],
    ['00:00', '23:59', false, { hours: '23.98', nightHours: '7.98', holidayHours: '0.00' }],
  ])('reports %s–%s (holiday: %s) as %o', (actualStart, actualEnd, onPublicHoliday, expected) => {
    expect(computeValues(report, { values: { date: '2025-03-12', actualStart, actualEnd, onPublicHoliday, nextDayPublicHoliday: false } })).toEqual(expected);
  });

  it('sums confirmed reports into the monthly slip by employee', () => {
    expect(slip.aggregate).toEqual({
      from: 'overtime-report',
      status: 'approved',
      period: 'month',
      periodField: 'month',
      dateField: 'date',
      match: { employee: 'employee' },
      sum: { totalHours: 'hours', nightHours: 'nightHours', holidayHours: 'holidayHours' },
    });
  });

  it('computes the slip exactly in RSD, each line rounded half-up and the total adding up', () => {
    const values = { totalHours: '10.50', nightHours: '2.00', holidayHours: '4.00', hourlyRate: '512.37' };
    expect(computeValues(slip, { values, tenantParameters: resolveTenantParameters(slip) })).toEqual({
      baseAmount: '5379.89', // 10.5 × 512.37 = 5379.885
      overtimeIncrease: '1398.77', // × 26 % = 1398.7701
      nightIncrease: '266.43', // 2 × 512.37 × 26 % = 266.4324
      holidayIncrease: '2254.43', // 4 × 512.37 × 110 % = 2254.428
      totalAmount: '9299.52',
    });
    expect(
      computeValues(slip, { values, tenantParameters: resolveTenantParameters(slip, { 'premium.overtime': 30 }) }).overtimeIncrease,
    ).toBe('1613.97'); // 5379.885 × 30 % = 1613.9655
  });

  it('leaves the amounts out until finance has entered the hourly rate', () => {
    const values = { totalHours: '10.50', nightHours: '2.00', holidayHours: '0.00' };
    expect(computeValues(slip, { values, tenantParameters: resolveTenantParameters(slip) })).toEqual({});
  });

  it('lets finance, and only finance, enter the hourly rate; then two approvals', () => {
    expect(slip.fields.filter((f) => f.editableAt.includes('prepare')).map((f) => f.name)).toEqual(['hourlyRate', 'note']);
    expect(slip.route.map((s) => [s.id, s.kind, s.assignee])).toEqual([
      ['prepare', 'prepare', { type: 'role', role: 'finance' }],
      ['finance-head', 'approve', { type: 'role', role: 'finance_head' }],
      ['chief', 'approve', { type: 'role', role: 'chief_admin' }],
    ]);
    expect(slip.numbering).toEqual({ register: true, at: 'final' });
  });
});

describe('incoming mail', () => {
  const mail = template('incoming-mail');

  it('is registered on receipt, assigned at a prepare step and taken over by the chosen case handler', () => {
    expect(mail.numbering).toEqual({ register: true, at: 'submit' });
    expect(mail.route.map((s) => [s.id, s.kind, s.assignee])).toEqual([
      ['assign', 'prepare', { type: 'role', role: 'registry_clerk' }],
      ['handle', 'acknowledge', { type: 'staffField', field: 'caseHandler' }],
    ]);
    const parsed = submissionSchema(mail, { locale: 'en', stepId: 'assign' }).safeParse({});
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([[['caseHandler'], 'This field is required']]);
  });
});
