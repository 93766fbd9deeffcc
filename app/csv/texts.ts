import { featureTexts } from '../i18n/texts';

export const csvTexts = featureTexts(
  {
    unreadable: 'The file cannot be read as CSV: a value opened with a quotation mark is not closed (the file ends at line {{value}}).',
  },
  {
    unreadable: 'Датотека не може да се прочита као CSV: вредност отворена наводником није затворена (датотека се завршава у реду {{value}}).',
  },
);
