// One email per kind, in English and Serbian Cyrillic; Serbian Latin is the transliteration of
// the Cyrillic email (names included), so the scripts never drift apart.
import { displayDate } from '#app/workflow/documents/format';
import { formatMonth } from '#app/i18n/format';

export type EmailKind =
  | 'step.assigned'
  | 'document.returned'
  | 'document.approved'
  | 'document.rejected'
  | 'document.registered'
  | 'step.actedOnYourBehalf'
  | 'document.opinion'
  | 'step.reminder'
  | 'step.escalated'
  | 'report.ready'
  | 'adoption.upgraded'
  | 'adoption.upgradeBlocked'
  | 'invitation'
  | 'signupResume'
  | 'signupSubmitted'
  | 'signupApproved'
  | 'signupRejected'
  | 'passwordReset';

export type EmailParams = Record<string, string | number | null | undefined>;

export interface EmailText {
  subject: string;
  /** Paragraphs of the body, before the link. */
  lines: string[];
  /** The label of the link, when the email has one. */
  action?: string;
}

type Texts = Record<EmailKind, (p: EmailParams) => EmailText>;

// Calendar dates as Serbian clerks write them, in every language of the product: '01.12.2026.'.
const day = (d: EmailParams[string]) => (typeof d === 'string' ? displayDate(d) : String(d ?? ''));

// A report's month, 'YYYY-MM', by name: 'April 2026', 'април 2026.'.
const month = (period: EmailParams[string], locale: 'en' | 'sr-Cyrl') => (typeof period === 'string' ? formatMonth(period, locale) : String(period ?? ''));

const doc = (p: EmailParams) => (p.number ? `${p.title} (${p.number})` : String(p.title));

export const en: Texts = {
  'step.assigned': (p) => ({ subject: `Waiting for you: ${doc(p)}`, lines: [`${p.author} sent you “${doc(p)}” (${p.step}).`, dueLine(p, 'Please act by {due}.')], action: 'Open the document' }),
  'document.returned': (p) => ({ subject: `Returned for correction: ${doc(p)}`, lines: [`${p.actor} returned “${doc(p)}” to you for correction.`, comment(p, 'Comment')], action: 'Correct the document' }),
  'document.approved': (p) => ({ subject: `Approved: ${doc(p)}`, lines: [`“${doc(p)}” has been approved.`], action: 'Open the document' }),
  'document.rejected': (p) => ({ subject: `Rejected: ${doc(p)}`, lines: [`${p.actor} rejected “${doc(p)}”.`, comment(p, 'Reason')], action: 'Open the document' }),
  'document.registered': (p) => ({ subject: `Registered as ${p.number}: ${p.title}`, lines: [`“${p.title}” is approved and registered under number ${p.number}.`], action: 'Open the document' }),
  'step.actedOnYourBehalf': (p) => ({ subject: `Acted on your behalf: ${doc(p)}`, lines: [`While you were away, ${p.actor} acted on “${doc(p)}” on your behalf (${p.step}).`], action: 'See what was decided' }),
  'document.opinion': (p) => ({ subject: `Opinion given: ${doc(p)}`, lines: [`${p.actor} gave an opinion on “${doc(p)}”.`, comment(p, 'Opinion')], action: 'Open the document' }),
  'step.reminder': (p) => ({ subject: `Reminder: ${doc(p)} is overdue`, lines: [`“${doc(p)}” has been waiting for ${p.assignee} (${p.step}) since it was due on ${p.due}.`, `This is reminder ${p.round} of ${p.rounds}.`], action: 'Act on the document' }),
  'step.escalated': (p) => ({ subject: `Overdue, needs attention: ${doc(p)}`, lines: [`“${doc(p)}” has been waiting for ${p.assignee} (${p.step}) since ${p.due}, and ${p.rounds} reminders brought no decision.`, 'As the administrator you can arrange a substitute or talk to the person concerned.'], action: 'Open the document' }),
  'report.ready': (p) => ({ subject: `Overtime report for ${month(p.period, 'en')} is ready`, lines: [`The overtime report of ${p.tenant} for ${month(p.period, 'en')} is ready: hours and pay per person and per organisational unit, as CSV and PDF.`], action: 'Open the reports' }),
  'adoption.upgraded': (p) => ({ subject: `${p.template} moved to version ${p.version}`, lines: [`The national office set ${day(p.deadline)} as the deadline for version ${p.version} of “${p.template}”. Your organisation has been moved to it with its parameters and positions; documents already started keep their version.`], action: 'See the template' }),
  'adoption.upgradeBlocked': (p) => ({ subject: `${p.template}: version ${p.version} needs your settings`, lines: [`The deadline for version ${p.version} of “${p.template}” has passed, but your current parameters or positions do not fit it. New documents still use the old version until you adopt the new one.`], action: 'Adopt the new version' }),
  invitation: (p) => ({ subject: `Invitation to Delovod: ${p.tenant}`, lines: [`${p.name}, you have been invited to work in Delovod for ${p.tenant}.`, `The link is valid for ${p.days} days and can be used once.`], action: 'Accept the invitation' }),
  signupResume: () => ({ subject: 'Your Delovod application: link to continue', lines: ['Your application to join Delovod is saved. Use this link to continue where you stopped; it works for 30 days.'], action: 'Continue the application' }),
  signupSubmitted: (p) => ({ subject: `Application received: ${p.name}`, lines: [`We have received the application of ${p.name}. The national office reviews it and you will get an email with the decision.`] }),
  signupApproved: (p) => ({ subject: `Welcome to Delovod: ${p.name}`, lines: [`The application of ${p.name} has been approved. The administrator can now sign in with the email address and password given in the application.`], action: 'Sign in' }),
  signupRejected: (p) => ({ subject: `Your Delovod application: ${p.name}`, lines: [`The application of ${p.name} has not been approved.`, comment(p, 'Reason')] }),
  passwordReset: (p) => ({ subject: 'Delovod: set a new password', lines: [`Someone asked to set a new password for the Delovod account ${p.email}. The link works once, for ${p.minutes} minutes, and setting a password ends every session of the account.`, 'If it was not you, ignore this message: your password stays as it is.'], action: 'Set a new password' }),
};

export const srCyrl: Texts = {
  'step.assigned': (p) => ({ subject: `Чека вас: ${doc(p)}`, lines: [`${p.author} вам је упутио/ла „${doc(p)}“ (${p.step}).`, dueLine(p, 'Рок: {due}.')], action: 'Отвори документ' }),
  'document.returned': (p) => ({ subject: `Враћено на исправку: ${doc(p)}`, lines: [`${p.actor} вам је вратио/ла „${doc(p)}“ на исправку.`, comment(p, 'Коментар')], action: 'Исправи документ' }),
  'document.approved': (p) => ({ subject: `Одобрено: ${doc(p)}`, lines: [`„${doc(p)}“ је одобрен.`], action: 'Отвори документ' }),
  'document.rejected': (p) => ({ subject: `Одбијено: ${doc(p)}`, lines: [`${p.actor} је одбио/ла „${doc(p)}“.`, comment(p, 'Образложење')], action: 'Отвори документ' }),
  'document.registered': (p) => ({ subject: `Заведено под бројем ${p.number}: ${p.title}`, lines: [`„${p.title}“ је одобрен и заведен под бројем ${p.number}.`], action: 'Отвори документ' }),
  'step.actedOnYourBehalf': (p) => ({ subject: `Поступљено у ваше име: ${doc(p)}`, lines: [`Док сте били одсутни, ${p.actor} је у ваше име поступио/ла по „${doc(p)}“ (${p.step}).`], action: 'Погледај одлуку' }),
  'document.opinion': (p) => ({ subject: `Дато мишљење: ${doc(p)}`, lines: [`${p.actor} је дао/ла мишљење на „${doc(p)}“.`, comment(p, 'Мишљење')], action: 'Отвори документ' }),
  'step.reminder': (p) => ({ subject: `Подсетник: рок за ${doc(p)} је истекао`, lines: [`„${doc(p)}“ чека да поступи ${p.assignee} (${p.step}); рок је био ${p.due}.`, `Ово је подсетник ${p.round} од ${p.rounds}.`], action: 'Поступи по документу' }),
  'step.escalated': (p) => ({ subject: `Рок истекао, потребна је ваша пажња: ${doc(p)}`, lines: [`„${doc(p)}“ чека да поступи ${p.assignee} (${p.step}) од ${p.due}, а ни после ${p.rounds} подсетника одлуке нема.`, 'Као администратор можете одредити замену или разговарати са запосленим.'], action: 'Отвори документ' }),
  'report.ready': (p) => ({ subject: `Извештај о прековременом раду за ${month(p.period, 'sr-Cyrl')} је спреман`, lines: [`Извештај о прековременом раду за ${month(p.period, 'sr-Cyrl')} је спреман (организација: ${p.tenant}): часови и износи по запосленом и по организационој јединици, у CSV и PDF облику.`], action: 'Отвори извештаје' }),
  'adoption.upgraded': (p) => ({ subject: `${p.template}: пређено на верзију ${p.version}`, lines: [`Национална канцеларија је одредила ${day(p.deadline)} као рок за верзију ${p.version} обрасца „${p.template}“. Ваша организација је пребачена на њу са постојећим параметрима и радним местима; започети документи задржавају своју верзију.`], action: 'Погледај образац' }),
  'adoption.upgradeBlocked': (p) => ({ subject: `${p.template}: верзија ${p.version} тражи ваша подешавања`, lines: [`Рок за верзију ${p.version} обрасца „${p.template}“ је истекао, али постојећи параметри или радна места јој не одговарају. Нови документи користе стару верзију док не усвојите нову.`], action: 'Усвоји нову верзију' }),
  invitation: (p) => ({ subject: `Позив у Деловод: ${p.tenant}`, lines: [`${p.name}, позвани сте да радите у Деловоду. Организација: ${p.tenant}.`, `Веза важи ${p.days} дана и може се употребити једном.`], action: 'Прихвати позив' }),
  signupResume: () => ({ subject: 'Ваш захтев за приступање Деловоду: веза за наставак', lines: ['Ваш захтев за приступање Деловоду је сачуван. Овом везом настављате тамо где сте стали; важи 30 дана.'], action: 'Настави захтев' }),
  signupSubmitted: (p) => ({ subject: `Захтев за приступање је примљен: ${p.name}`, lines: [`Примили смо захтев за приступање (орган: ${p.name}). Национална канцеларија га разматра и добићете е-поруку са одлуком.`] }),
  signupApproved: (p) => ({ subject: `Добро дошли у Деловод: ${p.name}`, lines: [`Захтев за приступање је одобрен (орган: ${p.name}). Администратор се сада може пријавити адресом е-поште и лозинком из захтева.`], action: 'Пријави се' }),
  signupRejected: (p) => ({ subject: `Ваш захтев за приступање Деловоду: ${p.name}`, lines: [`Захтев за приступање није одобрен (орган: ${p.name}).`, comment(p, 'Образложење')] }),
  passwordReset: (p) => ({ subject: 'Деловод: постављање нове лозинке', lines: [`Неко је затражио нову лозинку за налог ${p.email} у Деловоду. Веза важи једном, ${p.minutes} минута, а постављање лозинке завршава све сесије налога.`, 'Ако то нисте били ви, занемарите ову поруку: лозинка остаје непромењена.'], action: 'Постави нову лозинку' }),
};

function dueLine(p: EmailParams, text: string): string {
  return p.due ? text.replace('{due}', String(p.due)) : '';
}

function comment(p: EmailParams, label: string): string {
  return p.comment ? `${label}: ${p.comment}` : '';
}
