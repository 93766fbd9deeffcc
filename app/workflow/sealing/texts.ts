import { featureTexts } from '../../i18n/texts';

// The electronic seal on a registered document's PDF (ADR 012): the block on the page, the
// signature's reason, and what the download says while a seal cannot be made.
export const sealTexts = featureTexts(
  {
    block: {
      title: 'Electronic seal',
      holder: 'Holder of the seal',
      registryNumber: 'Registry number',
      sealedAt: 'Sealed on',
      level: 'Signature',
      levelB: 'PAdES baseline B-B',
      levelT: 'PAdES baseline B-T, with a time-stamp',
      test: 'TEST SEAL — not a valid electronic seal: no seal certificate is configured for this installation.',
      verify: 'Check the seal in your PDF reader’s signature panel. Any change to this file breaks the seal.',
    },
    reason: 'Registered under number {{number}}',
    unavailable: 'The sealed PDF of this document cannot be made at the moment. Please try again in a few minutes.',
  },
  {
    block: {
      title: 'Електронски печат',
      holder: 'Ималац печата',
      registryNumber: 'Деловодни број',
      sealedAt: 'Време печатирања',
      level: 'Потпис',
      levelB: 'PAdES baseline B-B',
      levelT: 'PAdES baseline B-T, са временским жигом',
      test: 'ТЕСТНИ ПЕЧАТ — није важећи електронски печат: за ову инсталацију није подешен сертификат печата.',
      verify: 'Печат проверите у панелу потписа свог PDF читача. Свака измена ове датотеке поништава печат.',
    },
    reason: 'Заведено под деловодним бројем {{number}}',
    unavailable: 'Печатирани PDF овог документа тренутно не може да се направи. Покушајте поново за неколико минута.',
  },
);
