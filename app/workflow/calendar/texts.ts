import { featureTexts } from '../../i18n/texts';

export const calendarTexts = featureTexts(
  {
    byLaw: 'Public holiday (by law)',
    own: 'Your institution’s day',
    shifted: '{{name}} (the working day off because the holiday fell on a Sunday)',
    holidayByLaw: 'This date is a public holiday by law; it is always a non-working day and cannot be changed here.',
    holidays: {
      newYear: 'New Year',
      orthodoxChristmas: 'Orthodox Christmas',
      statehood: 'Statehood Day (Sretenje)',
      labourDay: 'Labour Day',
      armistice: 'Armistice Day in the First World War',
      goodFriday: 'Orthodox Good Friday',
      holySaturday: 'Orthodox Holy Saturday',
      easterSunday: 'Orthodox Easter',
      easterMonday: 'Orthodox Easter Monday',
    },
  },
  {
    byLaw: 'Државни празник (по закону)',
    own: 'Дан ваше институције',
    shifted: '{{name}} (нерадни дан уместо недеље)',
    holidayByLaw: 'Овај датум је државни празник по закону; увек је нерадни дан и овде се не може мењати.',
    holidays: {
      newYear: 'Нова година',
      orthodoxChristmas: 'Божић',
      statehood: 'Сретење — Дан државности Србије',
      labourDay: 'Празник рада',
      armistice: 'Дан примирја у Првом светском рату',
      goodFriday: 'Велики петак',
      holySaturday: 'Велика субота',
      easterSunday: 'Васкрс',
      easterMonday: 'Други дан Васкрса',
    },
  },
);
