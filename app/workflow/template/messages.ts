import i18next from 'i18next';
import { toLatin } from '#app/i18n/transliterate';
import type { Locale } from './labels';

/**
 * Texts for every code the template language reports: definition problems (for the
 * national office's editor), field errors (for staff filling a form) and rule violations
 * with their legal reason. i18next interpolation; `{{x, number}}` formats for the locale.
 * Serbian Latin is transliterated from Cyrillic so the two scripts never drift apart.
 */

const en = {
  // Definition shape
  missing: 'This value is required',
  invalid: 'This value is not valid',
  shapeTooSmall: 'Too small or too short: the minimum is {{minimum}}',
  shapeTooBig: 'Too large or too long: the maximum is {{maximum}}',
  badFormat: 'The format is not valid',
  notAllowedValue: 'Allowed values: {{allowed}}',
  unknownKey: 'Unknown property `{{key}}`',
  boundsInverted: 'Field `{{field}}`: the lower bound {{min}} is greater than the upper bound {{max}}',
  badPattern: 'Field `{{field}}`: the pattern is not a valid regular expression',
  duplicateOption: 'Field `{{field}}`: the option `{{value}}` appears more than once',
  moneyDecimals: 'Computed value `{{computed}}`: money is rounded to 2 decimals (RSD)',

  // Definition references
  duplicateName: 'The name `{{name}}` is used more than once',
  reservedName: 'The name `{{name}}` has a meaning of its own in expressions; choose another',
  duplicateStepId: 'Step {{step}}: the id `{{stepId}}` is already used by another step',
  reservedStepId: "Step {{step}}: the id `{{stepId}}` is reserved for the author's draft",
  duplicateParameter: 'The tenant parameter `{{parameter}}` is declared more than once',
  parameterBoundsInverted: 'Parameter `{{parameter}}`: the minimum {{min}} is greater than the maximum {{max}}',
  parameterDefaultOutOfBounds: 'Parameter `{{parameter}}`: the default {{value}} is outside the allowed range {{min}} – {{max}}',
  parameterNotInteger: 'Parameter `{{parameter}}` takes whole numbers only',
  parameterMinBelowLegal:
    'Parameter `{{parameter}}`: the lowest value a tenant may set must not be below the legal minimum of {{minimum}} (Labour Law, art. 108)',
  parameterWrongType: 'Parameter `{{parameter}}` must be of type {{expected}}',
  unknownStep: 'Field `{{field}}`: there is no step `{{stepId}}`',
  stepCannotEdit:
    "Field `{{field}}`: step `{{stepId}}` is not a `prepare` step; only the author's draft and `prepare` steps fill in fields",
  prepareStepWithoutFields: 'Step {{step}} (`{{stepId}}`) prepares the document, but no field is editable at it',
  expressionSyntax: 'Computed value `{{computed}}`: syntax error at character {{position}}',
  expressionNotAllowed:
    'Computed value `{{computed}}`: `{{construct}}` is not allowed (only numbers, + − * /, parentheses, min, max and abs)',
  unknownSymbol: 'Computed value `{{computed}}`: `{{symbol}}` is not a field, a computed value or a numeric tenant parameter',
  symbolNotNumeric: 'Computed value `{{computed}}`: field `{{symbol}}` has no numeric value',
  computedCycle: 'Computed value `{{computed}}` depends on itself: {{cycle}}',
  unknownRule: 'Rule `{{rule}}` is not in the rule library',
  ruleParamTooSmall: 'Rule `{{rule}}`: parameter `{{param}}` must be at least {{minimum}}',
  ruleParamTooLarge: 'Rule `{{rule}}`: parameter `{{param}}` may be at most {{maximum}}',
  ruleParamInvalid: 'Rule `{{rule}}`: parameter `{{param}}` is not valid',
  unknownRuleSlot: 'Rule `{{rule}}` has no input `{{slot}}`',
  ruleSlotUnmapped: 'Rule `{{rule}}`: input `{{slot}}` is not connected to a field',
  ruleSlotType: 'Rule `{{rule}}`: `{{field}}` cannot be its input `{{slot}}` (expected: {{expected}})',
  ruleSlotKindsDiffer: 'Rule `{{rule}}`: inputs `{{a}}` and `{{b}}` must be of the same type',
  unknownField: '`{{field}}` is not a field of this template',
  fieldWrongType: 'Field `{{field}}` must be of type {{expected}}',
  unknownFieldRole: 'Field `{{field}}`: role `{{role}}` is not defined',
  unknownRole: 'Step {{step}}: role `{{role}}` is not defined',
  unknownPosition: 'Step {{step}}: position `{{position}}` is not declared among the tenant parameters',
  unknownSlaParameter: 'Step {{step}}: the deadline refers to `{{parameter}}`, which is not a tenant parameter',
  assigneeFieldNotStaff: 'Step {{step}}: the assignee field `{{field}}` is not a staff field',
  assigneeFieldNotFilledBefore: 'Step {{step}}: field `{{field}}` is not filled in before this step, so nobody would be assigned',
  blockingOnlyForConsult: 'Step {{step}}: only a consultation can be marked as blocking',
  parallelGroupNotContiguous: 'Step {{step}}: the steps of parallel group `{{group}}` must follow one another',
  parallelQuorumDiffers: 'Step {{step}}: all steps of parallel group `{{group}}` must have the same quorum',
  parallelQuorumTooLarge: 'Step {{step}}: a quorum of {{n}} is more than the {{size}} steps of group `{{group}}`',
  parallelGroupTooSmall: 'Step {{step}}: parallel group `{{group}}` has only one step',
  unknownTemplate: 'Template `{{template}}` is not in the catalog',
  unknownTargetField: 'Template `{{template}}` has no field `{{field}}`',
  carryTypeMismatch: 'The value of `{{source}}` cannot be carried into `{{field}}` of template `{{template}}`: the types differ',
  linkFieldInvalid: 'Field `{{field}}` of template `{{template}}` must be a link to a document of this template',
  followUpCycle: 'Follow-ups form a cycle: {{cycle}}',
  duplicateTemplateKey: 'Template `{{template}}` appears more than once in the catalog',

  // Form fields
  required: 'This field is required',
  tooShort: 'Enter at least {{min}} characters',
  tooLong: 'Enter at most {{max}} characters',
  patternMismatch: 'The value is not in the required format',
  notInteger: 'Enter a whole number',
  notNumber: 'Enter a number, e.g. 12.50',
  tooManyDecimals: 'At most {{scale}} decimal places are allowed',
  tooSmall: 'The smallest allowed value is {{min, number}}',
  tooLarge: 'The largest allowed value is {{max, number}}',
  invalidDate: 'Enter a valid date (YYYY-MM-DD)',
  invalidTime: 'Enter a valid time (HH:MM)',
  invalidDateTime: 'Enter a valid date and time (YYYY-MM-DD HH:MM)',
  invalidMonth: 'Enter a valid month (YYYY-MM)',
  invalidOption: 'Choose one of the offered values',
  mustBeChecked: 'This box must be ticked',
  invalidReference: 'Choose from the list',
  tooManyFiles: 'Attach at most {{max}} files',
  fileTooLarge: '{{name}} is larger than {{max}} MB',
  fileTypeNotAllowed: '{{name}} is not an allowed kind of file ({{types}})',

  // Computed values at run time
  expressionMissingValue: 'The value `{{symbol}}` is missing',
  expressionBadValue: '`{{value}}` is not a number',
  expressionNotFinite: 'The result is not a finite number (division by zero?)',
  expressionFailed: 'The value could not be computed',

  // Rules: the legal reason goes with the refusal
  overtimeDailyCap:
    'On {{date}} working time including overtime may not exceed {{max, number}} h (Labour Law, art. 53): regular working time is {{regular, number}} h and {{existing, number}} h of overtime are already requested, so at most {{allowed, number}} h of overtime are possible, not {{requested, number}} h.',
  overtimeWeeklyCap:
    'Overtime may not exceed {{max, number}} h a week (Labour Law, art. 53); the week beginning {{weekOf}} already has {{used, number}} h, so at most {{left, number}} h more, not {{requested, number}} h.',
  premiumOvertimeBelowMinimum:
    'The overtime premium of {{value, number}} % is below the legal minimum of {{minimum, number}} % of the base (Labour Law, art. 108).',
  premiumNightBelowMinimum:
    'The night-work premium (22:00–06:00) of {{value, number}} % is below the legal minimum of {{minimum, number}} % of the base (Labour Law, art. 108).',
  premiumHolidayBelowMinimum:
    'The premium for work on a public holiday of {{value, number}} % is below the legal minimum of {{minimum, number}} % of the base (Labour Law, art. 108).',
  endNotAfterStart: 'The end must be later than the start.',
  endBeforeStart: 'The end may not be before the start.',
  closedMonth: 'The month {{month}} is closed: its records are final, so nothing more can be entered for it.',
  notPublicHoliday: '{{date}} is not a public holiday in your calendar, so this is not work on a public holiday.',
  isPublicHoliday:
    '{{date}} is a public holiday (a non-working day) in your calendar: mark the work as done on a public holiday (Labour Law, art. 108).',
  // One month, one payment
  monthAlreadyPaid:
    'This employee’s overtime for {{month}} is already paid on the registered slip {{number}}. To pay hours confirmed since, make a corrective slip from that slip.',
  monthPaymentPending: 'A slip for this employee’s overtime in {{month}} is already in approval: one month is paid on one slip.',
  correctionPending: 'A corrective slip for {{month}} is already in approval: wait for its decision, then correct again if needed.',
  nothingToCorrect: 'What was paid for {{month}} matches what is confirmed: there is no difference to pay or to recover.',
} as const;

export type MessageCode = keyof typeof en;
export type MessageParams = Record<string, string | number>;

const srCyrl: Record<MessageCode, string> = {
  missing: 'Ова вредност је обавезна',
  invalid: 'Ова вредност није исправна',
  shapeTooSmall: 'Премало или прекратко: најмање {{minimum}}',
  shapeTooBig: 'Превелико или предугачко: највише {{maximum}}',
  badFormat: 'Облик није исправан',
  notAllowedValue: 'Дозвољене вредности: {{allowed}}',
  unknownKey: 'Непознато својство „{{key}}“',
  boundsInverted: 'Поље „{{field}}“: доња граница {{min}} је већа од горње границе {{max}}',
  badPattern: 'Поље „{{field}}“: образац није исправан регуларни израз',
  duplicateOption: 'Поље „{{field}}“: опција „{{value}}“ се понавља',
  moneyDecimals: 'Израчуната вредност „{{computed}}“: новчани износи се заокружују на 2 децимале (динари)',

  duplicateName: 'Назив „{{name}}“ је употребљен више пута',
  reservedName: 'Назив „{{name}}“ има посебно значење у изразима; изаберите други',
  duplicateStepId: 'Корак {{step}}: ознаку „{{stepId}}“ већ користи други корак',
  reservedStepId: 'Корак {{step}}: ознака „{{stepId}}“ је резервисана за нацрт аутора',
  duplicateParameter: 'Параметар институције „{{parameter}}“ је наведен више пута',
  parameterBoundsInverted: 'Параметар „{{parameter}}“: најмања вредност {{min}} је већа од највеће {{max}}',
  parameterDefaultOutOfBounds: 'Параметар „{{parameter}}“: подразумевана вредност {{value}} је ван дозвољеног опсега {{min}} – {{max}}',
  parameterNotInteger: 'Параметар „{{parameter}}“ може бити само цео број',
  parameterMinBelowLegal:
    'Параметар „{{parameter}}“: најмања вредност коју институција може да постави не сме бити испод законског минимума од {{minimum}} (Закон о раду, члан 108)',
  parameterWrongType: 'Параметар „{{parameter}}“ мора бити врсте {{expected}}',
  unknownStep: 'Поље „{{field}}“: корак „{{stepId}}“ не постоји',
  stepCannotEdit:
    'Поље „{{field}}“: корак „{{stepId}}“ није корак припреме; поља попуњавају само аутор у нацрту и кораци припреме',
  prepareStepWithoutFields: 'Корак {{step}} („{{stepId}}“) припрема документ, али у њему се не попуњава ниједно поље',
  expressionSyntax: 'Израчуната вредност „{{computed}}“: синтаксна грешка код знака {{position}}',
  expressionNotAllowed:
    'Израчуната вредност „{{computed}}“: „{{construct}}“ није дозвољено (само бројеви, + − * /, заграде, min, max и abs)',
  unknownSymbol:
    'Израчуната вредност „{{computed}}“: „{{symbol}}“ није поље, израчуната вредност ни бројчани параметар институције',
  symbolNotNumeric: 'Израчуната вредност „{{computed}}“: поље „{{symbol}}“ нема бројчану вредност',
  computedCycle: 'Израчуната вредност „{{computed}}“ зависи сама од себе: {{cycle}}',
  unknownRule: 'Правило „{{rule}}“ не постоји у библиотеци правила',
  ruleParamTooSmall: 'Правило „{{rule}}“: параметар „{{param}}“ мора бити најмање {{minimum}}',
  ruleParamTooLarge: 'Правило „{{rule}}“: параметар „{{param}}“ може бити највише {{maximum}}',
  ruleParamInvalid: 'Правило „{{rule}}“: параметар „{{param}}“ није исправан',
  unknownRuleSlot: 'Правило „{{rule}}“ нема улаз „{{slot}}“',
  ruleSlotUnmapped: 'Правило „{{rule}}“: улаз „{{slot}}“ није повезан ни са једним пољем',
  ruleSlotType: 'Правило „{{rule}}“: „{{field}}“ не може бити улаз „{{slot}}“ (очекује се: {{expected}})',
  ruleSlotKindsDiffer: 'Правило „{{rule}}“: улази „{{a}}“ и „{{b}}“ морају бити исте врсте',
  unknownField: '„{{field}}“ није поље овог обрасца',
  fieldWrongType: 'Поље „{{field}}“ мора бити врсте {{expected}}',
  unknownFieldRole: 'Поље „{{field}}“: улога „{{role}}“ није дефинисана',
  unknownRole: 'Корак {{step}}: улога „{{role}}“ није дефинисана',
  unknownPosition: 'Корак {{step}}: радно место „{{position}}“ није наведено међу параметрима институције',
  unknownSlaParameter: 'Корак {{step}}: рок се позива на „{{parameter}}“, а то није параметар институције',
  assigneeFieldNotStaff: 'Корак {{step}}: поље „{{field}}“ из кога се одређује извршилац није поље за запосленог',
  assigneeFieldNotFilledBefore: 'Корак {{step}}: поље „{{field}}“ се не попуњава пре овог корака, па извршилац не би био одређен',
  blockingOnlyForConsult: 'Корак {{step}}: само консултација може да задржи даљи ток',
  parallelGroupNotContiguous: 'Корак {{step}}: кораци паралелне групе „{{group}}“ морају ићи један за другим',
  parallelQuorumDiffers: 'Корак {{step}}: сви кораци паралелне групе „{{group}}“ морају имати исти кворум',
  parallelQuorumTooLarge: 'Корак {{step}}: кворум {{n}} је већи од броја корака ({{size}}) у групи „{{group}}“',
  parallelGroupTooSmall: 'Корак {{step}}: паралелна група „{{group}}“ има само један корак',
  unknownTemplate: 'Образац „{{template}}“ не постоји у каталогу',
  unknownTargetField: 'Образац „{{template}}“ нема поље „{{field}}“',
  carryTypeMismatch: 'Вредност „{{source}}“ не може се пренети у поље „{{field}}“ обрасца „{{template}}“: врсте се разликују',
  linkFieldInvalid: 'Поље „{{field}}“ обрасца „{{template}}“ мора бити веза ка документу овог обрасца',
  followUpCycle: 'Наредни документи чине круг: {{cycle}}',
  duplicateTemplateKey: 'Образац „{{template}}“ се у каталогу појављује више пута',

  required: 'Ово поље је обавезно',
  tooShort: 'Унесите најмање {{min}} знакова',
  tooLong: 'Унесите највише {{max}} знакова',
  patternMismatch: 'Вредност није у траженом облику',
  notInteger: 'Унесите цео број',
  notNumber: 'Унесите број, нпр. 12,50',
  tooManyDecimals: 'Дозвољено је највише {{scale}} децимала',
  tooSmall: 'Најмања дозвољена вредност је {{min, number}}',
  tooLarge: 'Највећа дозвољена вредност је {{max, number}}',
  invalidDate: 'Унесите исправан датум (ГГГГ-ММ-ДД)',
  invalidTime: 'Унесите исправно време (ЧЧ:ММ)',
  invalidDateTime: 'Унесите исправан датум и време (ГГГГ-ММ-ДД ЧЧ:ММ)',
  invalidMonth: 'Унесите исправан месец (ГГГГ-ММ)',
  invalidOption: 'Изаберите једну од понуђених вредности',
  mustBeChecked: 'Ово поље мора бити означено',
  invalidReference: 'Изаберите са списка',
  tooManyFiles: 'Приложите највише {{max}} датотека',
  fileTooLarge: 'Датотека {{name}} је већа од {{max}} MB',
  fileTypeNotAllowed: 'Датотека {{name}} није дозвољене врсте ({{types}})',

  expressionMissingValue: 'Недостаје вредност „{{symbol}}“',
  expressionBadValue: '„{{value}}“ није број',
  expressionNotFinite: 'Резултат није коначан број (дељење нулом?)',
  expressionFailed: 'Вредност није могуће израчунати',

  overtimeDailyCap:
    'Дана {{date}} радно време заједно са прековременим радом не сме бити дуже од {{max, number}} ч (Закон о раду, члан 53): редовно радно време је {{regular, number}} ч, а већ је тражено {{existing, number}} ч прековременог рада, па је могуће највише {{allowed, number}} ч прековременог рада, а не {{requested, number}} ч.',
  overtimeWeeklyCap:
    'Прековремени рад не сме бити дужи од {{max, number}} ч недељно (Закон о раду, члан 53); у недељи која почиње {{weekOf}} већ је {{used, number}} ч, па је могуће још највише {{left, number}} ч, а не {{requested, number}} ч.',
  premiumOvertimeBelowMinimum:
    'Увећање зараде за прековремени рад од {{value, number}} % мање је од законског минимума од {{minimum, number}} % од основице (Закон о раду, члан 108).',
  premiumNightBelowMinimum:
    'Увећање зараде за рад ноћу (од 22 до 6 часова) од {{value, number}} % мање је од законског минимума од {{minimum, number}} % од основице (Закон о раду, члан 108).',
  premiumHolidayBelowMinimum:
    'Увећање зараде за рад на дан празника који је нерадни дан од {{value, number}} % мање је од законског минимума од {{minimum, number}} % од основице (Закон о раду, члан 108).',
  endNotAfterStart: 'Завршетак мора бити после почетка.',
  endBeforeStart: 'Завршетак не може бити пре почетка.',
  closedMonth: 'Месец {{month}} је закључен: евиденција за тај месец је коначна и у њу се више ништа не може уносити.',
  notPublicHoliday: '{{date}} није државни празник у календару ваше институције, па ово није рад на дан празника.',
  isPublicHoliday:
    '{{date}} је државни празник (нерадни дан) у календару ваше институције: означите да је рад обављен на дан празника (Закон о раду, члан 108).',
  monthAlreadyPaid:
    'Прековремени рад овог запосленог за {{month}} већ је исплаћен по заведеном обрачуну {{number}}. Да бисте исплатили часове потврђене после тога, направите исправку тог обрачуна.',
  monthPaymentPending: 'Обрачун прековременог рада овог запосленог за {{month}} већ је на одобравању: један месец се исплаћује по једном обрачуну.',
  correctionPending: 'Исправка обрачуна за {{month}} већ је на одобравању: сачекајте одлуку, па по потреби исправите поново.',
  nothingToCorrect: 'Исплаћено за {{month}} једнако је потврђеном: нема разлике ни за исплату ни за повраћај.',
};

const srLatn = Object.fromEntries(Object.entries(srCyrl).map(([code, text]) => [code, toLatin(text)])) as Record<
  MessageCode,
  string
>;

/** Resources for the `template` i18next namespace, per locale. */
export const templateMessages: Readonly<Record<Locale, Readonly<Record<MessageCode, string>>>> = {
  'sr-Cyrl': srCyrl,
  'sr-Latn': srLatn,
  en,
};

export const MESSAGE_NAMESPACE = 'template';

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(
    Object.entries(templateMessages).map(([locale, texts]) => [locale, { [MESSAGE_NAMESPACE]: texts }]),
  ),
  lng: 'sr-Cyrl',
  fallbackLng: false,
  ns: [MESSAGE_NAMESPACE],
  defaultNS: MESSAGE_NAMESPACE,
  // Messages are plain text; React escapes them where they are shown.
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(en, code);
}

export function formatMessage(locale: Locale, code: MessageCode, params: MessageParams = {}): string {
  return i18n.t(code, { ...params, lng: locale, ns: MESSAGE_NAMESPACE });
}
