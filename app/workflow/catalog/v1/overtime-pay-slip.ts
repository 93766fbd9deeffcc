// Version 1 as first published: frozen. Databases hold it as published, and documents started
// on it keep it (DESIGN: documents pin their template version); changes go into a new version.

import type { TemplateVersionInput } from '#app/workflow/template/schema';

const premium = (kind: string, sr: string, en: string, legalMinimum: number) => ({
  name: `premium.${kind}`,
  type: 'percent' as const,
  label: { 'sr-Cyrl': sr, en },
  help: {
    'sr-Cyrl': `Законски минимум је ${legalMinimum} % од основице (Закон о раду, члан 108); општи акт или колективни уговор може одредити више.`,
    en: `The legal minimum is ${legalMinimum} % of the base (Labour Law, art. 108); an internal act or collective agreement may set more.`,
  },
  default: legalMinimum,
  min: legalMinimum,
  max: 500,
});

/**
 * Обрачун увећане зараде за прековремени рад: one employee's month, summed from the
 * confirmed result reports. Finance enters the base hourly pay; the overtime hours are
 * paid at that base plus the art. 108 increases (overtime, night, public holiday), which
 * add up. Amounts are exact decimals rounded half-up to the para. Art. 121: the statement
 * goes with the payment and may be delivered electronically.
 */
export const overtimePaySlipV1 = {
  key: 'overtime-pay-slip',
  version: 1,
  title: { 'sr-Cyrl': 'Обрачун увећане зараде за прековремени рад', en: 'Overtime pay accounting slip' },
  description: {
    'sr-Cyrl':
      'Месечни обрачун за једног запосленог, из потврђених извештаја о прековременом раду, са увећањима из члана 108. Закона о раду.',
    en: "One employee's monthly accounting, from the confirmed overtime reports, with the increases of Labour Law art. 108.",
  },
  category: 'finance',
  classification: '112',
  fields: [
    { name: 'employee', type: 'staff', label: { 'sr-Cyrl': 'Запослени', en: 'Employee' }, required: true },
    { name: 'month', type: 'month', label: { 'sr-Cyrl': 'Месец обрачуна', en: 'Month' }, required: true },
    {
      name: 'totalHours',
      type: 'decimal',
      label: { 'sr-Cyrl': 'Прековремени рад укупно (часова)', en: 'Overtime in total (hours)' },
      required: true,
      min: 0,
      max: 400,
    },
    {
      name: 'nightHours',
      type: 'decimal',
      label: { 'sr-Cyrl': 'Од тога ноћу (часова)', en: 'Of which at night (hours)' },
      required: true,
      min: 0,
      max: 400,
    },
    {
      name: 'holidayHours',
      type: 'decimal',
      label: { 'sr-Cyrl': 'Од тога на дан празника (часова)', en: 'Of which on public holidays (hours)' },
      required: true,
      min: 0,
      max: 400,
    },
    {
      name: 'hourlyRate',
      type: 'money',
      label: { 'sr-Cyrl': 'Основица по часу (динара)', en: 'Base hourly pay (RSD)' },
      help: {
        'sr-Cyrl': 'Основна зарада по часу на коју се обрачунавају увећања (Закон о раду, члан 108).',
        en: 'The base pay per hour on which the increases are calculated (Labour Law, art. 108).',
      },
      required: true,
      min: 0.01,
      editableAt: ['prepare'],
    },
    {
      name: 'note',
      type: 'textarea',
      label: { 'sr-Cyrl': 'Напомена', en: 'Note' },
      maxLength: 1000,
      editableAt: ['prepare'],
    },
  ],
  computed: [
    {
      name: 'baseAmount',
      label: { 'sr-Cyrl': 'Зарада за прековремене часове по основици', en: 'Overtime hours at the base rate' },
      expression: 'totalHours * hourlyRate',
      kind: 'money',
    },
    {
      name: 'overtimeIncrease',
      label: { 'sr-Cyrl': 'Увећање за прековремени рад', en: 'Overtime premium' },
      expression: 'totalHours * hourlyRate * premium.overtime / 100',
      kind: 'money',
    },
    {
      name: 'nightIncrease',
      label: { 'sr-Cyrl': 'Увећање за рад ноћу', en: 'Night-work premium' },
      expression: 'nightHours * hourlyRate * premium.night / 100',
      kind: 'money',
    },
    {
      name: 'holidayIncrease',
      label: { 'sr-Cyrl': 'Увећање за рад на дан празника', en: 'Public-holiday premium' },
      expression: 'holidayHours * hourlyRate * premium.holiday / 100',
      kind: 'money',
    },
    {
      name: 'totalAmount',
      label: { 'sr-Cyrl': 'Укупан износ', en: 'Total amount' },
      // The sum of the rounded lines, so the slip adds up as printed.
      expression: 'baseAmount + overtimeIncrease + nightIncrease + holidayIncrease',
      kind: 'money',
    },
  ],
  rules: [{ rule: 'labour.premiumAtLeast', params: { overtime: 26, night: 26, holiday: 110 } }],
  route: [
    {
      id: 'prepare',
      kind: 'prepare',
      label: { 'sr-Cyrl': 'Припрема обрачуна (финансијска служба)', en: 'Prepared by finance' },
      assignee: { type: 'role', role: 'finance' },
      slaHours: 24,
    },
    {
      id: 'finance-head',
      kind: 'approve',
      label: { 'sr-Cyrl': 'Одобрење руководиоца финансијске службе', en: 'Approval by the head of finance' },
      assignee: { type: 'role', role: 'finance_head' },
      slaHours: 16,
    },
    {
      id: 'chief',
      kind: 'approve',
      label: { 'sr-Cyrl': 'Одобрење начелника општинске управе', en: 'Approval by the chief of the administration' },
      assignee: { type: 'role', role: 'chief_admin' },
      slaHours: 16,
    },
  ],
  numbering: { register: true },
  aggregate: {
    from: 'overtime-report',
    status: 'approved',
    period: 'month',
    periodField: 'month',
    dateField: 'date',
    match: { employee: 'employee' },
    sum: { totalHours: 'hours', nightHours: 'nightHours', holidayHours: 'holidayHours' },
  },
  tenantParameters: [
    premium('overtime', 'Увећање за прековремени рад (%)', 'Overtime premium (%)', 26),
    premium('night', 'Увећање за рад ноћу (%)', 'Night-work premium (%)', 26),
    premium('holiday', 'Увећање за рад на дан празника (%)', 'Public-holiday premium (%)', 110),
  ],
} satisfies TemplateVersionInput;
