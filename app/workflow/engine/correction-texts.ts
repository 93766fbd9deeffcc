import { featureTexts } from '../../i18n/texts';

// Corrective pay slips that recover money (issue 22): when the confirmed hours went down after a
// slip was paid, the correction's difference is negative — a deduction, said so on its card.
export const correctionTexts = featureTexts(
  {
    deduction: 'Deduction: the confirmed hours went down after the slip {{number}} was paid, so this correction recovers {{hours}} h from the employee’s pay.',
    deductionAmount: 'Amount to recover (deducted from the employee’s pay): {{amount}} RSD.',
  },
  {
    deduction: 'Одбитак: потврђени часови смањени су после исплате по обрачуну {{number}}, па се овом исправком од зараде запосленог враћа {{hours}} ч.',
    deductionAmount: 'Износ за повраћај (одбија се од зараде запосленог): {{amount}} динара.',
  },
);
