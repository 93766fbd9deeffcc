// Version 1 as first published: frozen. Databases hold it as published, and documents started
// on it keep it (DESIGN: documents pin their template version); changes go into a new version.

import type { TemplateVersionInput } from '#app/workflow/template/schema';

/**
 * Извештај о обављеном прековременом раду: what was actually worked under an approved
 * request, confirmed by the head of unit. Night hours (22:00–06:00) and public-holiday
 * hours are derived here because art. 108 pays them extra.
 */
export const overtimeReportV1 = {
  key: 'overtime-report',
  version: 1,
  title: { 'sr-Cyrl': 'Извештај о обављеном прековременом раду', en: 'Overtime result report' },
  description: {
    'sr-Cyrl': 'Извештај о стварно обављеном прековременом раду по одобреном захтеву, који потврђује руководилац.',
    en: 'A report of the overtime actually worked under an approved request, confirmed by the head of unit.',
  },
  category: 'labour',
  classification: '112',
  fields: [
    {
      name: 'request',
      type: 'document',
      label: { 'sr-Cyrl': 'Захтев за прековремени рад', en: 'Overtime request' },
      required: true,
      template: 'overtime-request',
      status: ['approved', 'registered'],
    },
    { name: 'employee', type: 'staff', label: { 'sr-Cyrl': 'Запослени', en: 'Employee' }, required: true, default: 'author' },
    {
      name: 'unit',
      type: 'orgUnit',
      label: { 'sr-Cyrl': 'Организациона јединица', en: 'Organisational unit' },
      required: true,
      default: 'authorUnit',
    },
    { name: 'date', type: 'date', label: { 'sr-Cyrl': 'Датум рада', en: 'Date worked' }, required: true },
    { name: 'actualStart', type: 'time', label: { 'sr-Cyrl': 'Стварни почетак', en: 'Actual start' }, required: true },
    { name: 'actualEnd', type: 'time', label: { 'sr-Cyrl': 'Стварни завршетак', en: 'Actual end' }, required: true },
    {
      name: 'onPublicHoliday',
      type: 'checkbox',
      label: { 'sr-Cyrl': 'Рад на дан државног празника (нерадни дан)', en: 'Work on a public holiday (non-working day)' },
      help: {
        'sr-Cyrl': 'Проверава се према календару празника ваше институције.',
        en: "Checked against your institution's holiday calendar.",
      },
    },
    {
      name: 'workDone',
      type: 'textarea',
      label: { 'sr-Cyrl': 'Обављени послови', en: 'Work done' },
      required: true,
      maxLength: 2000,
    },
  ],
  computed: [
    {
      name: 'hours',
      label: { 'sr-Cyrl': 'Часова прековременог рада', en: 'Overtime hours' },
      expression: '(actualEnd - actualStart) / 60',
      kind: 'decimal',
    },
    {
      name: 'nightHours',
      label: { 'sr-Cyrl': 'Од тога ноћу (од 22 до 6 часова)', en: 'Of which at night (22:00–06:00)' },
      // Overlap of [start, end] with 00:00–06:00 (0–360 min) and 22:00–24:00 (1320–1440 min).
      expression: '(max(0, min(actualEnd, 360) - actualStart) + max(0, actualEnd - max(actualStart, 1320))) / 60',
      kind: 'decimal',
    },
    {
      name: 'holidayHours',
      label: { 'sr-Cyrl': 'Од тога на дан празника', en: 'Of which on a public holiday' },
      expression: '(actualEnd - actualStart) / 60 * onPublicHoliday',
      kind: 'decimal',
    },
  ],
  rules: [
    { rule: 'time.endAfterStart', fields: { start: 'actualStart', end: 'actualEnd' } },
    { rule: 'calendar.publicHolidayMatches', fields: { flag: 'onPublicHoliday' } },
    { rule: 'period.notInClosedMonth' },
  ],
  route: [
    {
      id: 'unit-head',
      kind: 'approve',
      label: { 'sr-Cyrl': 'Потврда руководиоца организационе јединице', en: 'Confirmation by the head of unit' },
      assignee: { type: 'authorUnitHead' },
      slaHours: 'sla.confirmation',
    },
  ],
  numbering: { register: false },
  tenantParameters: [
    {
      name: 'sla.confirmation',
      type: 'hours',
      label: { 'sr-Cyrl': 'Рок за потврду (радних часова)', en: 'Time allowed for confirmation (business hours)' },
      default: 16,
      min: 1,
      max: 80,
    },
  ],
} satisfies TemplateVersionInput;
