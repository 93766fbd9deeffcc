import type { TemplateVersionInput } from '#app/workflow/template/schema';

/**
 * Извештај о обављеном прековременом раду: what was actually worked under an approved
 * request, confirmed by the head of unit. Night hours (22:00–06:00) and public-holiday
 * hours are derived here because art. 108 pays them extra.
 */
export const overtimeReport = {
  key: 'overtime-report',
  version: 2,
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
    {
      name: 'actualEnd',
      type: 'time',
      label: { 'sr-Cyrl': 'Стварни завршетак', en: 'Actual end' },
      help: {
        'sr-Cyrl': 'Завршетак у исто или раније време него почетак значи следећи дан (на пример од 22:00 до 06:00); 24:00 је поноћ.',
        en: 'An end at or before the start is on the next day (e.g. 22:00 to 06:00); 24:00 is midnight.',
      },
      required: true,
    },
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
      name: 'nextDayPublicHoliday',
      type: 'checkbox',
      label: { 'sr-Cyrl': 'Рад после поноћи пада на дан државног празника', en: 'The work after midnight falls on a public holiday' },
      help: {
        'sr-Cyrl': 'Само када рад траје после поноћи: увећање за празник плаћа се за часове на дан празника.',
        en: 'Only when the work runs past midnight: the holiday premium is paid for the hours on the holiday.',
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
      // The minutes that really pass in Europe/Belgrade: 22:00–06:00 is 7 h on the night clocks
      // go forward and 9 h on the night they go back.
      expression: 'workMinutes(date, actualStart, actualEnd) / 60',
      kind: 'decimal',
    },
    {
      name: 'nightHours',
      label: { 'sr-Cyrl': 'Од тога ноћу (од 22 до 6 часова)', en: 'Of which at night (22:00–06:00)' },
      expression: 'nightMinutes(date, actualStart, actualEnd) / 60',
      kind: 'decimal',
    },
    {
      name: 'holidayHours',
      label: { 'sr-Cyrl': 'Од тога на дан празника', en: 'Of which on a public holiday' },
      // Split at midnight: the premium is for the hours on the holiday date only.
      expression: '(dayMinutes(date, actualStart, actualEnd, 0) * onPublicHoliday + dayMinutes(date, actualStart, actualEnd, 1) * nextDayPublicHoliday) / 60',
      kind: 'decimal',
    },
  ],
  rules: [
    { rule: 'time.endAfterStart', params: { overnight: true }, fields: { start: 'actualStart', end: 'actualEnd' } },
    { rule: 'calendar.publicHolidayMatches', fields: { flag: 'onPublicHoliday' } },
    {
      rule: 'calendar.publicHolidayMatches',
      params: { dayAfter: true },
      fields: { flag: 'nextDayPublicHoliday', start: 'actualStart', end: 'actualEnd' },
    },
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
