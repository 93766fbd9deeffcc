import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { locales } from '../i18n/resources';
import { ErrorSummary } from '../ui/field';
import { useLocale } from '../ui/localized';
import {
  ComputedSection,
  FieldsSection,
  FollowUpsSection,
  GeneralSection,
  NumberingSection,
  ParametersSection,
  RouteSection,
  RulesSection,
  type EditorChoices,
  type EditorState,
} from '../ui/template-editor';
import { TemplateFields } from '../ui/template-form';
import { placeLabel } from '../ui/template-paths';
import { anchorOf, pathOfName, sectionId, type EditorSection } from '../workflow/publishing/editor-names';
import type { TemplateVersion } from '../workflow/template/schema';
import type { Problem } from '../workflow/template/validate';
import { editorAction, editorLoader, type EditorActionData } from './national.templates.$key.v.$version.server';
import { scrollRegion } from '../ui/table-region';
import { formatInstant } from '../i18n/format';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const loader = (args: LoaderFunctionArgs) => editorLoader(args);
export const action = (args: ActionFunctionArgs) => editorAction(args);

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type EditData = Extract<LoaderData, { mode: 'edit' }>;
type ViewData = Extract<LoaderData, { mode: 'view' }>;

const SECTIONS: EditorSection[] = ['general', 'fields', 'computed', 'rules', 'route', 'numbering', 'followUps', 'tenantParameters'];

// Each answer of the action remounts the form with what it brought back.
const answerIds = new WeakMap<object, number>();
let answers = 0;
function answerId(answer: object | undefined): number {
  if (!answer) return 0;
  if (!answerIds.has(answer)) answerIds.set(answer, ++answers);
  return answerIds.get(answer)!;
}

export default function TemplateVersionPage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as EditorActionData | undefined;
  const { t } = useTranslation();
  const location = useLocation();
  // After a save the page comes back to the part that was edited: move focus there too.
  useEffect(() => {
    if (!location.hash) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    target?.focus({ preventScroll: true });
  }, [location.key, location.hash]);
  return (
    <>
      <p>
        <Link to={`/national/templates/${data.key}`}>← {t('catalog.editor.back')}</Link>
      </p>
      <h1>
        {t('catalog.editor.heading', { title: data.title ?? t('catalog.noTitle'), version: data.version })}{' '}
        <span className={`tag tag--${data.status}`}>{t(`catalog.statuses.${data.status}`)}</span>
      </h1>
      {data.published ? (
        <p className="alert alert--ok" role="status">
          {t('catalog.editor.publish.published', { version: data.version })}
        </p>
      ) : null}
      {answer?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {t(answer.message)}
        </p>
      ) : null}
      {data.previous ? (
        <p>
          <Link to={`/national/templates/${data.key}/diff?from=${data.previous}&to=${data.version}`}>{t('catalog.editor.compare', { version: data.previous })}</Link>
        </p>
      ) : null}
      {data.mode === 'edit' ? <Editor data={data} /> : <View data={data} />}
    </>
  );
}

function Section({ id, title, lead, children }: { id: string; title: string; lead?: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="editor-section" tabIndex={-1}>
      <h2 id={`${id}-title`}>{title}</h2>
      {lead ? <p className="field__help">{lead}</p> : null}
      {children}
    </section>
  );
}

function Editor({ data }: { data: EditData }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const answer = useActionData<typeof action>() as EditorActionData | undefined;
  const location = useLocation();
  const here = `/national/templates/${data.key}/v/${data.version}${location.search}`;
  const formAnswer = answer?.kind === 'form' ? answer : undefined;
  const message = formAnswer?.message;
  const choices: EditorChoices = { templateKey: data.key, rules: data.rules, catalog: data.catalog };
  const updated = formatInstant(data.updatedAt, locale, 'short');
  return (
    <>
      <p className="lead">{t('catalog.editor.draftLead')}</p>
      <p className="field__help">{t('catalog.editor.lastSaved', { time: updated })}</p>
      <nav aria-label={t('catalog.editor.sectionsNav')} className="section-nav">
        <ul>
          {[...SECTIONS, 'preview' as const, 'publish' as const].map((s) => (
            <li key={s}>
              <a href={`#${sectionId(s)}`}>{t(`catalog.editor.sections.${s}`)}</a>
            </li>
          ))}
        </ul>
      </nav>
      {message ? (
        <p className="alert alert--error" role="alert">
          {t(message)}
        </p>
      ) : null}
      <div className="editor-layout">
        <EditorForm key={`${data.revision}:${answerId(formAnswer)}`} data={data} here={here} lastResult={formAnswer?.reply} choices={choices} />
        <Preview data={data} />
      </div>
      <Publish data={data} here={here} answer={answer?.kind === 'publish' ? answer : undefined} />
    </>
  );
}

function EditorForm({ data, here, lastResult, choices }: { data: EditData; here: string; lastResult?: SubmissionResult<string[]>; choices: EditorChoices }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm<Record<string, unknown>>({ id: 'template-editor', lastResult, defaultValue: { ...data.values, revision: data.revision } });
  const initial = (name: string) => fields[name]?.initialValue as unknown;
  const s: EditorState = {
    value: (name) => {
      const v = initial(name);
      return typeof v === 'string' ? v : undefined;
    },
    values: (name) => {
      const v = initial(name);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
    },
    count: (name) => {
      const v = initial(name);
      return Array.isArray(v) ? v.length : 0;
    },
    errors: (name) => fields[name]?.errors,
  };
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (lastResult?.status === 'error') summaryRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [lastResult]);
  const errors = Object.entries(lastResult?.error ?? {}).flatMap(([name, messages]) =>
    (messages ?? []).map((m) => ({ href: `#${anchorOf(pathOfName(name))}`, text: `${placeLabel(t, pathOfName(name), data.values)}: ${m}` })),
  );
  return (
    <Form method="post" action={here} {...getFormProps(form)} className="editor-main" aria-busy={navigation.state !== 'idle' || undefined} data-revision={data.revision}>
      <div ref={summaryRef}>
        <ErrorSummary title={t('form.errorSummary')} messages={errors} />
      </div>
      <input type="hidden" name="revision" value={s.value('revision') ?? data.revision} />
      <Section id={sectionId('general')} title={t('catalog.editor.sections.general')}>
        <GeneralSection s={s} templateKey={data.key} />
      </Section>
      <Section id={sectionId('fields')} title={t('catalog.editor.sections.fields')} lead={t('catalog.editor.leads.fields')}>
        <FieldsSection s={s} choices={choices} />
      </Section>
      <Section id={sectionId('computed')} title={t('catalog.editor.sections.computed')} lead={t('catalog.editor.leads.computed')}>
        <ComputedSection s={s} />
      </Section>
      <Section id={sectionId('rules')} title={t('catalog.editor.sections.rules')} lead={t('catalog.editor.leads.rules')}>
        <RulesSection s={s} choices={choices} />
      </Section>
      <Section id={sectionId('route')} title={t('catalog.editor.sections.route')} lead={t('catalog.editor.leads.route')}>
        <RouteSection s={s} />
      </Section>
      <Section id={sectionId('numbering')} title={t('catalog.editor.sections.numbering')}>
        <NumberingSection s={s} />
      </Section>
      <Section id={sectionId('followUps')} title={t('catalog.editor.sections.followUps')} lead={t('catalog.editor.leads.followUps')}>
        <FollowUpsSection s={s} choices={choices} />
      </Section>
      <Section id={sectionId('tenantParameters')} title={t('catalog.editor.sections.tenantParameters')} lead={t('catalog.editor.leads.tenantParameters')}>
        <ParametersSection s={s} />
      </Section>
      {data.aggregate ? (
        <Section id={sectionId('aggregate')} title={t('catalog.editor.sections.aggregate')} lead={t('catalog.editor.leads.aggregate')}>
          <dl className="facts">
            {Object.entries(data.aggregate).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{t(`catalog.diff.properties.${k}`, { defaultValue: k })}</dt>
                <dd>
                  <code>{v !== null && typeof v === 'object' ? Object.entries(v).map(([a, b]) => `${a} ← ${String(b)}`).join(', ') : String(v)}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
        </Section>
      ) : null}
    </Form>
  );
}

function Preview({ data }: { data: LoaderData }) {
  const { t } = useTranslation();
  const { preview, previewLocale } = data;
  return (
    <aside className="editor-preview" aria-labelledby={`${sectionId('preview')}-title`}>
      <Section id={sectionId('preview')} title={t('catalog.editor.sections.preview')} lead={t('catalog.editor.preview.lead')}>
        <nav aria-label={t('catalog.editor.preview.language')} className="preview-lang">
          <ul>
            {locales.map((l) => (
              <li key={l}>
                <Link to={`/national/templates/${data.key}/v/${data.version}?preview=${l}#${sectionId('preview')}`} preventScrollReset aria-current={l === previewLocale ? 'true' : undefined} lang={l}>
                  {t(`languages.${l}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="card preview-form" lang={previewLocale}>
          {preview.fields.length === 0 ? <p>{t('catalog.editor.preview.empty', { lng: previewLocale })}</p> : null}
          <TemplateFields fields={preview.fields} computed={preview.computed} preview idPrefix="preview-" locale={previewLocale} />
        </div>
        {preview.incomplete.length ? <p className="field__help">{t('catalog.editor.preview.incomplete', { names: preview.incomplete.join(', ') })}</p> : null}
        <p className="field__help">{t('catalog.editor.preview.choices')}</p>
      </Section>
    </aside>
  );
}

function ProblemList({ problems, definition }: { problems: Problem[]; definition: unknown }) {
  const { t } = useTranslation();
  return (
    <ul>
      {problems.map((p, i) => (
        <li key={i}>
          <a href={`#${anchorOf(p.path)}`}>{placeLabel(t, p.path, definition)}</a>:{' '}
          {/* An empty list says what to add rather than how short it is. */}
          {p.code === 'shapeTooSmall' && p.path.length === 1 && (p.path[0] === 'fields' || p.path[0] === 'route')
            ? t(`catalog.editor.need.${p.path[0]}`)
            : t(`template.${p.code}`, p.params)}
        </li>
      ))}
    </ul>
  );
}

function Publish({ data, here, answer }: { data: EditData; here: string; answer?: { problems: Problem[] } }) {
  const { t } = useTranslation();
  const problems = answer?.problems ?? data.problems;
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (answer) alertRef.current?.focus();
  }, [answer]);
  return (
    <Section id={sectionId('publish')} title={t('catalog.editor.sections.publish')} lead={t('catalog.editor.publish.lead')}>
      {problems.length ? (
        <div className="alert alert--error" role={answer ? 'alert' : undefined} tabIndex={-1} ref={alertRef} id="publish-problems">
          <h3>{t('catalog.editor.publish.problems', { version: data.version, count: problems.length })}</h3>
          <ProblemList problems={problems} definition={data.values} />
        </div>
      ) : (
        <p className="alert alert--ok">{t('catalog.editor.publish.ready')}</p>
      )}
      <Form method="post" action={here}>
        <button type="submit" name="intent" value="publish" className="primary">
          {t('catalog.editor.publish.submit', { version: data.version })}
        </button>
      </Form>
      <details className="danger-zone">
        <summary>{t('catalog.editor.delete.open')}</summary>
        <p>{t('catalog.editor.delete.lead')}</p>
        <Form method="post" action={here}>
          <button type="submit" name="intent" value="delete" className="button danger">
            {t('catalog.editor.delete.confirm')}
          </button>
        </Form>
      </details>
    </Section>
  );
}

function View({ data }: { data: ViewData }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="lead">{t('catalog.editor.readOnlyLead')}</p>
      <div className="editor-layout">
        <div className="editor-main">{data.definition ? <Summary def={data.definition} /> : null}</div>
        <Preview data={data} />
      </div>
    </>
  );
}

function Summary({ def }: { def: TemplateVersion }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const steps = new Map(def.route.map((s, i) => [s.id, `${i + 1}. ${s.label[locale]}`]));
  const assignee = (a: TemplateVersion['route'][number]['assignee']) => {
    const kind = t(`catalog.editor.route.assignees.${a.type}`);
    if (a.type === 'role' || a.type === 'unitRole') return `${kind}: ${t(`roles.${a.role}`, { defaultValue: a.role })}`;
    if (a.type === 'position') return `${kind}: ${a.position}`;
    if (a.type === 'staffField') return `${kind}: ${a.field}`;
    return kind;
  };
  return (
    <>
      <Section id={sectionId('general')} title={t('catalog.editor.sections.general')}>
        <dl className="facts">
          <dt>{t('catalog.editor.general.title')}</dt>
          <dd>{def.title[locale]}</dd>
          {def.description ? (
            <>
              <dt>{t('catalog.editor.general.description')}</dt>
              <dd>{def.description[locale]}</dd>
            </>
          ) : null}
          <dt>{t('catalog.editor.general.key')}</dt>
          <dd>
            <code>{def.key}</code>
          </dd>
          <dt>{t('catalog.editor.general.category')}</dt>
          <dd>{def.category}</dd>
          <dt>{t('catalog.editor.general.classification')}</dt>
          <dd>{def.numbering.classification ?? def.classification}</dd>
          <dt>{t('catalog.editor.sections.numbering')}</dt>
          <dd>
            {def.numbering.register
              ? t('catalog.editor.summary.registered', { at: t(`catalog.editor.numbering.ats.${def.numbering.at}`) })
              : t('catalog.editor.summary.notRegistered')}
          </dd>
        </dl>
      </Section>
      <Section id={sectionId('fields')} title={t('catalog.editor.sections.fields')}>
        <div className="table-wrap" {...scrollRegion(t('catalog.editor.sections.fields'))}>
          <table className="data">
            <caption className="visually-hidden">{t('catalog.editor.sections.fields')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog.editor.summary.label')}</th>
                <th scope="col">{t('catalog.editor.summary.type')}</th>
                <th scope="col">{t('catalog.editor.summary.required')}</th>
                <th scope="col">{t('catalog.editor.summary.filledBy')}</th>
              </tr>
            </thead>
            <tbody>
              {def.fields.map((f) => (
                <tr key={f.name}>
                  <th scope="row">
                    {f.label[locale]} <code>{f.name}</code>
                  </th>
                  <td>{t(`catalog.editor.types.${f.type}`)}</td>
                  <td>{f.required ? t('catalog.form.yes') : t('catalog.form.no')}</td>
                  <td>{f.editableAt.map((s) => (s === 'draft' ? t('catalog.editor.field.author') : (steps.get(s) ?? s))).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      {def.computed.length ? (
        <Section id={sectionId('computed')} title={t('catalog.editor.sections.computed')}>
          <ul>
            {def.computed.map((c) => (
              <li key={c.name}>
                {c.label[locale]} <code>{c.name}</code> = <code>{c.expression}</code> ({t(`catalog.editor.computed.kinds.${c.kind}`)})
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {def.rules.length ? (
        <Section id={sectionId('rules')} title={t('catalog.editor.sections.rules')}>
          <ul>
            {def.rules.map((r, i) => (
              <li key={i}>
                <code>{r.rule}</code>
                {Object.keys(r.params).length ? ` — ${Object.entries(r.params).map(([k, v]) => `${t(`catalog.editor.rules.param.${k}`, { defaultValue: k })}: ${String(v)}`).join('; ')}` : ''}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id={sectionId('route')} title={t('catalog.editor.sections.route')}>
        <ol>
          {def.route.map((s) => (
            <li key={s.id}>
              <strong>{s.label[locale]}</strong> ({t(`catalog.editor.route.kinds.${s.kind}`)}) — {assignee(s.assignee)}
              {s.slaHours !== undefined ? ` — ${t('catalog.editor.summary.sla')}: ${typeof s.slaHours === 'number' ? t('catalog.editor.summary.hours', { count: s.slaHours }) : s.slaHours}` : ''}
            </li>
          ))}
        </ol>
      </Section>
      {def.followUps.length ? (
        <Section id={sectionId('followUps')} title={t('catalog.editor.sections.followUps')}>
          <ul>
            {def.followUps.map((f, i) => (
              <li key={i}>
                <code>{f.template}</code> — {t(`catalog.editor.followUps.whens.${f.when}`)}, {t(`catalog.editor.followUps.modes.${f.mode}`)}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {def.tenantParameters.length ? (
        <Section id={sectionId('tenantParameters')} title={t('catalog.editor.sections.tenantParameters')}>
          <ul>
            {def.tenantParameters.map((p) => (
              <li key={p.name}>
                {p.label[locale]} <code>{p.name}</code>
                {p.type !== 'position' ? ` — ${t('catalog.editor.summary.default')}: ${p.default}; ${t('catalog.editor.summary.range')}: ${p.min ?? '—'} – ${p.max ?? '—'}` : ''}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
