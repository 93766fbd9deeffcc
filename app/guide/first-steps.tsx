// The new organisation's checklist, shown to its administrator above the inbox until every
// item is done.
import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { FirstStep } from './first-steps.server';

export function FirstStepsChecklist({ slug, steps }: { slug: string; steps: FirstStep[] }) {
  const { t } = useTranslation();
  const done = steps.filter((s) => s.done).length;
  const detail = (s: FirstStep) => {
    if (s.key === 'approvers') {
      if (s.done) return t('guide.firstSteps.items.approvers_detail');
      return s.missingRoles.length
        ? t('guide.firstSteps.items.approvers_todo', { roles: s.missingRoles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ') })
        : t('guide.firstSteps.items.approvers_noTemplates');
    }
    if (!s.done) return t(`guide.firstSteps.items.${s.key}_todo`, s.counts);
    const text = t(`guide.firstSteps.items.${s.key}_detail`, s.counts);
    return s.key === 'staff' && s.counts.pending ? `${text} ${t('guide.firstSteps.items.staff_pending', { count: s.counts.pending })}` : text;
  };
  return (
    <section className="card" aria-labelledby="first-steps-title">
      <h2 id="first-steps-title">{t('guide.firstSteps.title')}</h2>
      <p>{t('guide.firstSteps.lead')}</p>
      <p>
        <label htmlFor="first-steps-progress">{t('guide.firstSteps.progress', { done, total: steps.length })}</label>
        <br />
        <progress id="first-steps-progress" max={steps.length} value={done}>
          {done}/{steps.length}
        </progress>
      </p>
      <ol className="checklist">
        {steps.map((s) => (
          <li key={s.key} className={s.done ? 'done' : undefined}>
            <span className="checklist__mark" aria-hidden="true">
              {s.done ? '✓' : ''}
            </span>
            <span>
              <Link to={`/t/${slug}/admin/${s.page}`}>{t(`guide.firstSteps.items.${s.key}`)}</Link>
              <span className="visually-hidden"> ({s.done ? t('guide.firstSteps.done') : t('guide.firstSteps.todo')})</span>
              <small>{detail(s)}</small>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
