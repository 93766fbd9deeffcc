import type { TemplateVersionInput } from '#app/workflow/template/schema';

/** Захтев за одсуство — defined purely as data: a new workflow needs no code. */
export const leaveRequest = {
  key: 'leave-request',
  version: 1,
  title: { 'sr-Cyrl': 'Захтев за одсуство', en: 'Leave request' },
  description: {
    'sr-Cyrl': 'Захтев за коришћење годишњег одмора, плаћеног или неплаћеног одсуства (Закон о раду, чл. 68–78).',
    en: 'A request for annual leave, paid or unpaid leave (Labour Law, arts. 68–78).',
  },
  category: 'labour',
  classification: '112',
  fields: [
    { name: 'employee', type: 'staff', label: { 'sr-Cyrl': 'Запослени', en: 'Employee' }, required: true, default: 'author' },
    {
      name: 'unit',
      type: 'orgUnit',
      label: { 'sr-Cyrl': 'Организациона јединица', en: 'Organisational unit' },
      required: true,
      default: 'authorUnit',
    },
    {
      name: 'leaveType',
      type: 'select',
      label: { 'sr-Cyrl': 'Врста одсуства', en: 'Type of leave' },
      required: true,
      options: [
        { value: 'annual', label: { 'sr-Cyrl': 'Годишњи одмор', en: 'Annual leave' } },
        { value: 'paid', label: { 'sr-Cyrl': 'Плаћено одсуство', en: 'Paid leave' } },
        { value: 'unpaid', label: { 'sr-Cyrl': 'Неплаћено одсуство', en: 'Unpaid leave' } },
      ],
    },
    { name: 'startDate', type: 'date', label: { 'sr-Cyrl': 'Први дан одсуства', en: 'First day of leave' }, required: true },
    { name: 'endDate', type: 'date', label: { 'sr-Cyrl': 'Последњи дан одсуства', en: 'Last day of leave' }, required: true },
    {
      name: 'workingDays',
      type: 'number',
      label: { 'sr-Cyrl': 'Број радних дана', en: 'Working days' },
      help: {
        'sr-Cyrl': 'Рачунају се само радни дани; викенди и државни празници се не рачунају.',
        en: 'Count working days only; weekends and public holidays do not count.',
      },
      required: true,
      min: 1,
      max: 60,
    },
    {
      name: 'substitute',
      type: 'staff',
      label: { 'sr-Cyrl': 'Замена током одсуства', en: 'Substitute during the leave' },
    },
    { name: 'note', type: 'textarea', label: { 'sr-Cyrl': 'Напомена', en: 'Note' }, maxLength: 1000 },
  ],
  rules: [
    { rule: 'time.endAfterStart', params: { allowEqual: true }, fields: { start: 'startDate', end: 'endDate' } },
    { rule: 'period.notInClosedMonth', fields: { date: 'startDate' } },
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
  tenantParameters: [
    {
      name: 'sla.approval',
      type: 'hours',
      label: { 'sr-Cyrl': 'Рок за одобрење (радних часова)', en: 'Time allowed for approval (business hours)' },
      default: 24,
      min: 1,
      max: 80,
    },
  ],
} satisfies TemplateVersionInput;
