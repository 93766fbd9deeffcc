import type { TemplateVersionInput } from '#app/workflow/template/schema';

/**
 * Пријем и завођење поште: the registry office (писарница) receives a letter, registers it
 * on receipt, assigns it to a case handler, who takes it over (Decree on office operations,
 * Sl. glasnik RS 21/2020). Defined purely as data.
 */
export const incomingMail = {
  key: 'incoming-mail',
  version: 1,
  title: { 'sr-Cyrl': 'Пријем и завођење поште', en: 'Incoming mail registration' },
  description: {
    'sr-Cyrl': 'Писарница прима и заводи акт, распоређује га обрађивачу предмета, који га прима у рад.',
    en: 'The registry office receives and registers a document and assigns it to a case handler, who takes it over.',
  },
  category: 'office',
  classification: '0',
  fields: [
    { name: 'sender', type: 'text', label: { 'sr-Cyrl': 'Пошиљалац', en: 'Sender' }, required: true, maxLength: 300 },
    {
      name: 'senderReference',
      type: 'text',
      label: { 'sr-Cyrl': 'Број и датум акта пошиљаоца', en: "Sender's reference and date" },
      maxLength: 100,
    },
    { name: 'receivedOn', type: 'date', label: { 'sr-Cyrl': 'Датум пријема', en: 'Date received' }, required: true },
    {
      name: 'delivery',
      type: 'select',
      label: { 'sr-Cyrl': 'Начин пријема', en: 'Received by' },
      required: true,
      options: [
        { value: 'post', label: { 'sr-Cyrl': 'Поштом', en: 'Post' } },
        { value: 'inPerson', label: { 'sr-Cyrl': 'Непосредно', en: 'In person' } },
        { value: 'email', label: { 'sr-Cyrl': 'Електронском поштом', en: 'Email' } },
        { value: 'courier', label: { 'sr-Cyrl': 'Курирском службом', en: 'Courier' } },
      ],
    },
    { name: 'subject', type: 'text', label: { 'sr-Cyrl': 'Предмет', en: 'Subject' }, required: true, maxLength: 500 },
    {
      name: 'scan',
      type: 'attachment',
      label: { 'sr-Cyrl': 'Скенирани акт и прилози', en: 'Scanned document and enclosures' },
      required: true,
      maxFiles: 10,
      maxSizeMb: 20,
      accept: ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'],
    },
    {
      name: 'caseHandler',
      type: 'staff',
      label: { 'sr-Cyrl': 'Обрађивач предмета', en: 'Case handler' },
      required: true,
      editableAt: ['assign'],
    },
    {
      name: 'instructions',
      type: 'textarea',
      label: { 'sr-Cyrl': 'Упутство обрађивачу', en: 'Instructions for the case handler' },
      maxLength: 1000,
      editableAt: ['assign'],
    },
  ],
  route: [
    {
      id: 'assign',
      kind: 'prepare',
      label: { 'sr-Cyrl': 'Распоређивање предмета обрађивачу', en: 'Assignment to a case handler' },
      assignee: { type: 'role', role: 'registry_clerk' },
      slaHours: 8,
    },
    {
      id: 'handle',
      kind: 'acknowledge',
      label: { 'sr-Cyrl': 'Пријем предмета у рад', en: 'Taken over by the case handler' },
      assignee: { type: 'staffField', field: 'caseHandler' },
      slaHours: 8,
    },
  ],
  // The registry number is given on receipt, before the letter goes anywhere.
  numbering: { register: true, at: 'submit' },
} satisfies TemplateVersionInput;
