/**
 * The props of the box around a table that may scroll sideways on a narrow screen: a named
 * region keyboard users can focus to scroll it (WCAG 2.1.1), e.g.
 * `<div className="table-wrap" {...scrollRegion(t('inbox.title'))}>`.
 */
export const scrollRegion = (label: string) => ({ role: 'region', 'aria-label': label, tabIndex: 0 }) as const;
