import type { TemplateVersionInput } from '#app/workflow/template/schema';

/**
 * Захтев за прековремени рад — the first link of the overtime chain. Labour Law art. 53
 * allows overtime only at the employer's request, on one of three grounds, at most 8 hours
 * a week and 12 hours a day including regular hours. No written order is legally required
 * (Supreme Court, Рев2 3092/21), which is why the approved request is the evidence.
 */
export const overtimeRequest = {
  key: 'overtime-request',
  version: 2,
  title: { 'sr-Cyrl': 'Захтев за прековремени рад', en: 'Overtime request' },
  description: {
    'sr-Cyrl':
      'Захтев да запослени ради дуже од пуног радног времена, на неком од основа из члана 53. Закона о раду. Одобрени захтев је доказ да је прековремени рад уведен на захтев послодавца.',
    en: 'A request for an employee to work beyond full working time on one of the grounds of Labour Law art. 53. The approved request is the evidence that the employer required the overtime.',
  },
  category: 'labour',
  classification: '112',
  fields: [
    {
      name: 'employee',
      type: 'staff',
      label: { 'sr-Cyrl': 'Запослени', en: 'Employee' },
      help: { 'sr-Cyrl': 'Запослени који ће радити прековремено', en: 'The employee who will work overtime' },
      required: true,
      default: 'author',
    },
    {
      name: 'unit',
      type: 'orgUnit',
      label: { 'sr-Cyrl': 'Организациона јединица', en: 'Organisational unit' },
      required: true,
      default: 'authorUnit',
    },
    {
      name: 'date',
      type: 'date',
      label: { 'sr-Cyrl': 'Датум прековременог рада', en: 'Date of the overtime' },
      help: {
        'sr-Cyrl': 'Дан када рад почиње; рад може трајати и после поноћи.',
        en: 'The day the work starts; it may run past midnight.',
      },
      required: true,
    },
    { name: 'plannedStart', type: 'time', label: { 'sr-Cyrl': 'Почетак', en: 'Start' }, required: true },
    {
      name: 'plannedEnd',
      type: 'time',
      label: { 'sr-Cyrl': 'Завршетак', en: 'End' },
      help: {
        'sr-Cyrl': 'Завршетак у исто или раније време него почетак значи следећи дан (на пример од 22:00 до 06:00); 24:00 је поноћ.',
        en: 'An end at or before the start is on the next day (e.g. 22:00 to 06:00); 24:00 is midnight.',
      },
      required: true,
    },
    {
      name: 'ground',
      type: 'select',
      label: { 'sr-Cyrl': 'Основ за прековремени рад', en: 'Ground for the overtime' },
      help: {
        'sr-Cyrl': 'Прековремени рад је дозвољен само на основима из члана 53. Закона о раду.',
        en: 'Overtime is allowed only on the grounds listed in Labour Law art. 53.',
      },
      required: true,
      options: [
        { value: 'forceMajeure', label: { 'sr-Cyrl': 'Виша сила', en: 'Force majeure' } },
        {
          value: 'workloadIncrease',
          label: { 'sr-Cyrl': 'Изненадно повећање обима посла', en: 'Sudden increase in workload' },
        },
        {
          value: 'unplannedDeadline',
          label: {
            'sr-Cyrl': 'Посао који није планиран, а мора да се заврши у одређеном року',
            en: 'Unplanned work that must be finished by a deadline',
          },
        },
      ],
    },
    {
      name: 'description',
      type: 'textarea',
      label: { 'sr-Cyrl': 'Опис посла и разлог', en: 'Work to be done and why' },
      required: true,
      maxLength: 2000,
    },
  ],
  computed: [
    {
      name: 'hours',
      label: { 'sr-Cyrl': 'Број часова', en: 'Hours' },
      // The minutes that really pass in Europe/Belgrade (7 h for 22:00–06:00 on the night clocks
      // go forward, 9 h on the night they go back); an end past midnight enters as more than 1440.
      expression: 'workMinutes(date, plannedStart, plannedEnd) / 60',
      kind: 'decimal',
    },
  ],
  rules: [
    { rule: 'time.endAfterStart', params: { overnight: true }, fields: { start: 'plannedStart', end: 'plannedEnd' } },
    { rule: 'labour.overtimeDailyCap', params: { maxDayHours: 12 }, fields: { start: 'plannedStart', end: 'plannedEnd' } },
    { rule: 'labour.overtimeWeeklyCap', params: { maxWeekHours: 8 }, fields: { start: 'plannedStart', end: 'plannedEnd' } },
    { rule: 'period.notInClosedMonth' },
  ],
  route: [
    {
      id: 'unit-head',
      kind: 'approve',
      label: { 'sr-Cyrl': 'Одобрење руководиоца организационе јединице', en: 'Approval by the head of unit' },
      assignee: { type: 'authorUnitHead' },
      slaHours: 'sla.approval',
    },
    {
      id: 'hr',
      kind: 'acknowledge',
      label: { 'sr-Cyrl': 'Евидентирање у кадровској служби', en: 'Recorded by human resources' },
      assignee: { type: 'role', role: 'hr' },
      slaHours: 40,
    },
  ],
  numbering: { register: true },
  followUps: [
    {
      template: 'overtime-report',
      when: 'approved',
      mode: 'offer',
      link: 'request',
      carry: { employee: 'employee', unit: 'unit', date: 'date', actualStart: 'plannedStart', actualEnd: 'plannedEnd' },
    },
  ],
  tenantParameters: [
    {
      name: 'sla.approval',
      type: 'hours',
      label: { 'sr-Cyrl': 'Рок за одобрење (радних часова)', en: 'Time allowed for approval (business hours)' },
      default: 16,
      min: 1,
      max: 80,
    },
  ],
} satisfies TemplateVersionInput;
