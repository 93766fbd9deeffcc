import { featureTexts } from '../i18n/texts';

// The input boundary's refusals (app/security/input.server.ts): the error page a request gets
// when it is refused as sent, before any route's own checks.
export const inputTexts = featureTexts(
  {
    badRequestTitle: 'The request could not be read',
    badRequest: 'What was sent is not a form this page can read (a malformed address, field or character encoding). Nothing was changed. Go back, check the form and send it again.',
    tooLargeTitle: 'Too much was sent',
    tooLarge: 'The form or its files are larger than this page accepts. Nothing was changed. Send smaller files, or fewer at a time.',
    unsupportedTitle: 'Not a form',
    unsupported: 'This page accepts only its own form, sent as a web form in UTF-8. Nothing was changed.',
    invalidTitle: 'A value is not valid',
    invalid: 'A value in the form is not valid here. Nothing was changed. Go back and correct it.',
    conflictTitle: 'Already changed',
    conflict: 'This could not be done because something it depends on has changed or already exists. Nothing was changed. Reload the page and try again.',
    headTooLarge: 'The address or the headers of this request are longer than this site reads. Nothing was changed.',
    timeout: 'The request took too long to arrive. Nothing was changed. Send it again.',
    unreadable: 'This request is not well-formed HTTP and could not be read. Nothing was changed.',
    // Forms whose every field is a button or hidden: what a refusal of them says.
    forms: {
      choice: 'This page did not offer that choice. Nothing was changed. Reload the page and choose again.',
      gone: 'What you chose is no longer on this page. Nothing was changed. Reload the page and try again.',
      month: 'Enter a month between 1900 and 2100, such as 2026-05.',
      version: 'Choose a published version of this template.',
    },
  },
  {
    badRequestTitle: 'Захтев није могао да се прочита',
    badRequest: 'Послато није образац који ова страница може да прочита (неисправна адреса, поље или кодирање знакова). Ништа није промењено. Вратите се, проверите образац и пошаљите га поново.',
    tooLargeTitle: 'Послато је превише',
    tooLarge: 'Образац или његове датотеке већи су од онога што ова страница прима. Ништа није промењено. Пошаљите мање датотеке или мање њих одједном.',
    unsupportedTitle: 'Ово није образац',
    unsupported: 'Ова страница прима само свој образац, послат као веб-образац у UTF-8. Ништа није промењено.',
    invalidTitle: 'Вредност није исправна',
    invalid: 'Вредност у обрасцу овде није исправна. Ништа није промењено. Вратите се и исправите је.',
    conflictTitle: 'Већ је промењено',
    conflict: 'Ово није могло да се уради јер се нешто од чега зависи променило или већ постоји. Ништа није промењено. Поново учитајте страницу и покушајте опет.',
    headTooLarge: 'Адреса или заглавља овог захтева дужи су од онога што овај сајт чита. Ништа није промењено.',
    timeout: 'Захтев је предуго стизао. Ништа није промењено. Пошаљите га поново.',
    unreadable: 'Овај захтев није исправан HTTP захтев и није могао да се прочита. Ништа није промењено.',
    forms: {
      choice: 'Ова страница није понудила тај избор. Ништа није промењено. Поново учитајте страницу и изаберите поново.',
      gone: 'Оно што сте изабрали више није на овој страници. Ништа није промењено. Поново учитајте страницу и покушајте опет.',
      month: 'Унесите месец између 1900. и 2100. године, на пример 2026-05.',
      version: 'Изаберите објављену верзију овог обрасца.',
    },
  },
);
