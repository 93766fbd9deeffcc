// Texts are grouped by feature; each feature module exports its English and Serbian Cyrillic
// texts through `featureTexts`, and resources.ts mounts them under the feature's namespace key
// (so `t('onboarding.wizard.title')`). Serbian Latin is derived, never written by hand.
export interface TextTree {
  [key: string]: string | TextTree;
}

/** The same keys as the English texts; Serbian may add `_few` plural forms. */
export type SameShape<T> = { [K in keyof T]: T[K] extends string ? string : SameShape<T[K]> } & {
  [plural: `${string}_few`]: string;
};

export function featureTexts<T extends TextTree>(en: T, srCyrl: SameShape<T>): { en: T; 'sr-Cyrl': SameShape<T> } {
  return { en, 'sr-Cyrl': srCyrl };
}
