import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { adminSchema, bodySchema, type WizardStep } from '../onboarding/schemas';
import { PASSWORD_MIN } from '../auth/password-policy';
import { NewPasswordField } from '../ui/password-field';
import { CsvReportTable, errorText, RoleChoices, SkippedRows, useErrors, WizardProgress } from '../onboarding/ui';
import { wizardAction, wizardLoader, type WizardActionData } from '#tenants/wizard.server';
import { bodyKinds } from '../onboarding/names';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale, useSerbian } from '../ui/localized';
import { Main } from '../ui/page';
import { scrollRegion } from '../ui/table-region';
import { BusyButton } from '../ui/busy-button';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];
export const loader = wizardLoader;
export const action = wizardAction;

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function SignupStep() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as WizardActionData | undefined;
  return (
    <Main>
      <h1>{t('onboarding.wizard.title')}</h1>
      <WizardProgress step={d.step} completed={d.completed} reachable={d.reachable} />
      <h2 className="step-title">{t(`onboarding.steps.${d.step}`)}</h2>
      {d.notice ? (
        <p className="alert alert--ok" role="status">
          {t(`onboarding.wizard.notice.${d.notice}`)}
        </p>
      ) : null}
      {actionData?.kind === 'error' ? (
        <div className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </div>
      ) : null}
      {d.step === 'body' ? <BodyStep key="body" d={d} /> : null}
      {d.step === 'admin' ? <AdminStep key="admin" d={d} /> : null}
      {/* Keyed by the list's length: with JavaScript, an added row empties the add fields, as a new page would. */}
      {d.step === 'units' ? <UnitsStep key={`units-${d.answers.units.length}`} d={d} /> : null}
      {d.step === 'staff' ? <StaffStep key={`staff-${d.answers.staff.length}`} d={d} /> : null}
      {d.step === 'templates' ? <TemplatesStep key="templates" d={d} /> : null}
      {d.step === 'review' ? <ReviewStep key="review" d={d} /> : null}
      {d.contactEmail && d.step !== 'review' ? (
        <Form method="post" className="resume-link">
          <p>{t('onboarding.wizard.later', { email: d.contactEmail })}</p>
          <button type="submit" name="intent" value="sendLink" className="button secondary" formNoValidate>
            {t('onboarding.wizard.sendLink')}
          </button>
        </Form>
      ) : null}
    </Main>
  );
}

function useLastResult() {
  const actionData = useActionData<typeof action>() as WizardActionData | undefined;
  return actionData?.kind === 'form' ? actionData.result : undefined;
}

function Nav({ back = true, next }: { back?: boolean; next?: string }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <div className="wizard-nav">
      {back ? (
        <button type="submit" name="intent" value="back" className="button secondary" formNoValidate>
          {t('onboarding.wizard.back')}
        </button>
      ) : null}
      <button type="submit" name="intent" value="next" className="primary" disabled={navigation.state === 'submitting'}>
        {next ?? t('onboarding.wizard.next')}
      </button>
    </div>
  );
}

function Summary({ fields, labels }: { fields: Array<{ id: string; name: string; errors?: string[] }>; labels: Record<string, string> }) {
  const { t } = useTranslation();
  const messages = fields
    .filter((f) => f.errors?.length)
    .map((f) => ({ href: `#${f.id}`, text: `${labels[f.name] ?? f.name}: ${errorText(t, f.errors![0])}` }));
  return <ErrorSummary title={t('form.errorSummary')} messages={messages} />;
}

function BodyStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const [form, f] = useForm({
    id: 'body',
    lastResult: useLastResult(),
    defaultValue: d.answers.body as Record<string, string>,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bodySchema }),
  });
  const labels = {
    kind: t('onboarding.body.kind'),
    nameCyrl: t('onboarding.body.nameCyrl'),
    nameLatn: t('onboarding.body.nameLatn'),
    nameEn: t('onboarding.body.nameEn'),
    maticniBroj: t('onboarding.body.maticniBroj'),
    pib: t('onboarding.body.pib'),
    address: t('onboarding.body.address'),
  };
  return (
    <>
      <p className="lead">{t('onboarding.body.lead')}</p>
      <Summary fields={Object.values(f)} labels={labels} />
      <Form method="post" {...getFormProps(form)}>
        <Field id={f.kind.id} label={labels.kind} errors={errors(f.kind.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.kind)} {...aria}>
              <option value="">{t('onboarding.choose')}</option>
              {bodyKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`tenants.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={f.nameCyrl.id} label={labels.nameCyrl} help={t('onboarding.body.nameHelp')} errors={errors(f.nameCyrl.errors)}>
          {(aria) => <input {...getInputProps(f.nameCyrl, { type: 'text' })} {...aria} lang="sr-Cyrl" />}
        </Field>
        <Field id={f.nameLatn.id} label={labels.nameLatn} errors={errors(f.nameLatn.errors)}>
          {(aria) => <input {...getInputProps(f.nameLatn, { type: 'text' })} {...aria} lang="sr-Latn" />}
        </Field>
        <Field id={f.nameEn.id} label={labels.nameEn} help={t('onboarding.body.nameEnHelp')} errors={errors(f.nameEn.errors)}>
          {(aria) => <input {...getInputProps(f.nameEn, { type: 'text' })} {...aria} lang="en" />}
        </Field>
        <Field id={f.maticniBroj.id} label={labels.maticniBroj} help={t('onboarding.body.maticniBrojHelp')} errors={errors(f.maticniBroj.errors)}>
          {(aria) => <input {...getInputProps(f.maticniBroj, { type: 'text' })} {...aria} inputMode="numeric" autoComplete="off" />}
        </Field>
        <Field id={f.pib.id} label={labels.pib} help={t('onboarding.body.pibHelp')} errors={errors(f.pib.errors)}>
          {(aria) => <input {...getInputProps(f.pib, { type: 'text' })} {...aria} inputMode="numeric" autoComplete="off" />}
        </Field>
        <Field id={f.address.id} label={labels.address} errors={errors(f.address.errors)}>
          {(aria) => <input {...getInputProps(f.address, { type: 'text' })} {...aria} autoComplete="street-address" />}
        </Field>
        <Nav />
      </Form>
    </>
  );
}

/** The body's names as the application gives them: context words of the administrator's password. */
const bodyNames = (body: unknown) => {
  const b = (body ?? {}) as Record<string, unknown>;
  return [b.nameCyrl, b.nameLatn, b.nameEn].filter((n): n is string => typeof n === 'string');
};

function AdminStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const [form, f] = useForm({
    id: 'admin',
    lastResult: useLastResult(),
    defaultValue: d.answers.admin as Record<string, string>,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: adminSchema(d.passwordSaved) }),
  });
  const labels = {
    fullName: t('onboarding.admin.fullName'),
    position: t('onboarding.admin.position'),
    email: t('onboarding.admin.email'),
    password: t('onboarding.admin.password'),
    confirm: t('onboarding.admin.confirm'),
  };
  return (
    <>
      <p className="lead">{t('onboarding.admin.lead')}</p>
      <Summary fields={Object.values(f)} labels={labels} />
      <Form method="post" {...getFormProps(form)}>
        <Field id={f.fullName.id} label={labels.fullName} errors={errors(f.fullName.errors)}>
          {(aria) => <input {...getInputProps(f.fullName, { type: 'text' })} {...aria} autoComplete="name" />}
        </Field>
        <Field id={f.position.id} label={labels.position} errors={errors(f.position.errors)}>
          {(aria) => <input {...getInputProps(f.position, { type: 'text' })} {...aria} autoComplete="organization-title" />}
        </Field>
        <Field id={f.email.id} label={labels.email} help={t('onboarding.admin.emailHelp')} errors={errors(f.email.errors)}>
          {(aria) => <input {...getInputProps(f.email, { type: 'email' })} {...aria} autoComplete="email" />}
        </Field>
        <NewPasswordField
          id={f.password.id}
          label={labels.password}
          help={d.passwordSaved ? t('onboarding.admin.passwordSaved') : t('accounts.password.help', { count: PASSWORD_MIN })}
          errors={errors(f.password.errors)}
          context={[f.fullName.value, f.email.value, ...bodyNames(d.answers.body)]}
        >
          {(aria) => <input {...getInputProps(f.password, { type: 'password' })} {...aria} autoComplete="new-password" />}
        </NewPasswordField>
        <Field id={f.confirm.id} label={labels.confirm} errors={errors(f.confirm.errors)}>
          {(aria) => <input {...getInputProps(f.confirm, { type: 'password' })} {...aria} autoComplete="new-password" />}
        </Field>
        <Nav />
      </Form>
    </>
  );
}

function CsvUpload({ target }: { target: 'units' | 'staff' }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>() as WizardActionData | undefined;
  return (
    <section className="card" aria-labelledby={`${target}-csv`}>
      <h3 id={`${target}-csv`}>{t('onboarding.csv.title')}</h3>
      <p>{t(`onboarding.csv.${target}Help`)}</p>
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor={`${target}-file`}>{t('onboarding.csv.file')}</label>
          <input id={`${target}-file`} type="file" name="file" accept=".csv,text/csv,text/plain" />
        </div>
        <BusyButton name="intent" value="upload" className="button secondary" busyText={t('guide.busy.file')}>
          {t('onboarding.csv.upload')}
        </BusyButton>
      </Form>
      {actionData?.kind === 'report' && actionData.target === target ? <CsvReportTable report={actionData.report} /> : null}
    </section>
  );
}

function UnitsStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const sr = useSerbian();
  const [form, f] = useForm({ id: 'unit', lastResult: useLastResult(), defaultValue: d.pending as Record<string, string>, shouldValidate: 'onSubmit' });
  const labels = { code: t('onboarding.units.code'), name: t('onboarding.units.name'), nameEn: t('onboarding.units.nameEn'), parentCode: t('onboarding.units.parent') };
  return (
    <>
      <p className="lead">{t('onboarding.units.lead')}</p>
      <ListTable
        caption={t('onboarding.units.listTitle')}
        empty={t('onboarding.units.empty')}
        headers={[labels.code, labels.name, labels.nameEn, labels.parentCode]}
        rows={d.answers.units.map((u) => [u.code, sr(u.name), u.nameEn ?? '', u.parentCode ?? ''])}
      />
      <Summary fields={Object.values(f)} labels={labels} />
      <Form method="post" {...getFormProps(form)} className="card">
        <h3>{t('onboarding.units.addTitle')}</h3>
        <div className="row-fields">
          <Field id={f.code.id} label={labels.code} errors={errors(f.code.errors)}>
            {(aria) => <input {...getInputProps(f.code, { type: 'text' })} {...aria} />}
          </Field>
          <Field id={f.name.id} label={labels.name} errors={errors(f.name.errors)}>
            {(aria) => <input {...getInputProps(f.name, { type: 'text' })} {...aria} />}
          </Field>
          <Field id={f.nameEn.id} label={labels.nameEn} errors={errors(f.nameEn.errors)}>
            {(aria) => <input {...getInputProps(f.nameEn, { type: 'text' })} {...aria} lang="en" />}
          </Field>
          <Field id={f.parentCode.id} label={labels.parentCode} errors={errors(f.parentCode.errors)}>
            {(aria) => (
              <select {...getSelectProps(f.parentCode)} {...aria}>
                <option value="">{t('onboarding.units.noParent')}</option>
                {d.answers.units.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.code} — {sr(u.name)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" name="intent" value="add" className="button secondary">
          {t('onboarding.units.add')}
        </button>
        <Nav />
      </Form>
      <CsvUpload target="units" />
    </>
  );
}

function StaffStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const errors = useErrors();
  const sr = useSerbian();
  const [form, f] = useForm({ id: 'person', lastResult: useLastResult(), defaultValue: d.pending as Record<string, string>, shouldValidate: 'onSubmit' });
  const labels = {
    email: t('onboarding.staff.email'),
    fullName: t('onboarding.staff.fullName'),
    position: t('onboarding.staff.position'),
    unitCode: t('onboarding.staff.unit'),
    roles: t('onboarding.staff.roles'),
  };
  return (
    <>
      <p className="lead">{t('onboarding.staff.lead')}</p>
      <ListTable
        caption={t('onboarding.staff.listTitle')}
        empty={t('onboarding.staff.empty')}
        headers={[labels.email, labels.fullName, labels.position, labels.unitCode, labels.roles]}
        rows={d.answers.staff.map((s) => [s.email, sr(s.fullName), sr(s.position), s.unitCode ?? '', s.roles.map((r) => t(`roles.${r}`)).join(', ')])}
      />
      <Summary fields={Object.values(f)} labels={labels} />
      <Form method="post" {...getFormProps(form)} className="card">
        <h3>{t('onboarding.staff.addTitle')}</h3>
        <div className="row-fields">
          <Field id={f.email.id} label={labels.email} errors={errors(f.email.errors)}>
            {(aria) => <input {...getInputProps(f.email, { type: 'email' })} {...aria} />}
          </Field>
          <Field id={f.fullName.id} label={labels.fullName} errors={errors(f.fullName.errors)}>
            {(aria) => <input {...getInputProps(f.fullName, { type: 'text' })} {...aria} />}
          </Field>
          <Field id={f.position.id} label={labels.position} errors={errors(f.position.errors)}>
            {(aria) => <input {...getInputProps(f.position, { type: 'text' })} {...aria} />}
          </Field>
          <Field id={f.unitCode.id} label={labels.unitCode} errors={errors(f.unitCode.errors)}>
            {(aria) => (
              <select {...getSelectProps(f.unitCode)} {...aria}>
                <option value="">{t('onboarding.staff.noUnit')}</option>
                {d.answers.units.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.code} — {sr(u.name)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <RoleChoices name="roles" legend={labels.roles} />
        <button type="submit" name="intent" value="add" className="button secondary">
          {t('onboarding.staff.add')}
        </button>
        <Nav />
      </Form>
      <CsvUpload target="staff" />
    </>
  );
}

function ListTable({ caption, empty, headers, rows }: { caption: string; empty: string; headers: string[]; rows: string[][] }) {
  const { t } = useTranslation();
  if (!rows.length) return <p role="status">{empty}</p>;
  return (
    <div className="table-wrap" {...scrollRegion(caption)}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('onboarding.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
              <td>
                <Form method="post">
                  <button type="submit" name="intent" value={`remove:${i}`} className="link-button">
                    {t('onboarding.remove')}
                    <span className="visually-hidden"> {r[0]}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TemplatesStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [form] = useForm({ id: 'templates', lastResult: useLastResult() });
  return (
    <>
      <p className="lead">{t('onboarding.templates.lead')}</p>
      <Form method="post" {...getFormProps(form)}>
        <fieldset className="choices-list">
          <legend>{t('onboarding.templates.legend')}</legend>
          {d.catalog.map((c) => (
            <label key={c.key} className="choice">
              <input type="checkbox" name="templates" value={c.key} defaultChecked={d.answers.templates.includes(c.key)} /> {c.title[locale]}
            </label>
          ))}
        </fieldset>
        <Nav />
      </Form>
    </>
  );
}

function ReviewStep({ d }: { d: LoaderData }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const review = d.review!;
  const body = d.answers.body as Record<string, string | undefined>;
  const admin = d.answers.admin as Record<string, string | undefined>;
  const change = (step: WizardStep) => (
    <Link to={`/signup/${step}`}>
      {t('onboarding.review.change')}
      <span className="visually-hidden"> — {t(`onboarding.steps.${step}`)}</span>
    </Link>
  );
  return (
    <>
      <p className="lead">{t('onboarding.review.lead')}</p>
      {review.failed.length || review.known ? (
        <div className="alert alert--error" role="alert">
          <h2>{t('onboarding.review.problems')}</h2>
          <ul>
            {review.failed.map((s) => (
              <li key={s}>
                <Link to={`/signup/${s}`}>{t('onboarding.review.stepIncomplete', { step: t(`onboarding.steps.${s}`) })}</Link>
              </li>
            ))}
            {review.known ? <li>{t(review.known.kind === 'tenant' ? 'onboarding.errors.knownTenant' : 'onboarding.errors.knownPending')}</li> : null}
          </ul>
        </div>
      ) : null}
      <section className="card">
        <h3>
          {t('onboarding.steps.body')} {change('body')}
        </h3>
        <dl className="facts">
          <dt>{t('onboarding.body.kind')}</dt>
          <dd>{body.kind ? t(`tenants.kinds.${body.kind}`) : ''}</dd>
          <dt>{t('onboarding.body.nameCyrl')}</dt>
          <dd lang="sr-Cyrl">{review.names?.nameCyrl}</dd>
          <dt>{t('onboarding.body.nameLatn')}</dt>
          <dd lang="sr-Latn">{review.names?.nameLatn}</dd>
          <dt>{t('onboarding.body.maticniBroj')}</dt>
          <dd>{body.maticniBroj}</dd>
          <dt>{t('onboarding.body.pib')}</dt>
          <dd>{body.pib}</dd>
          <dt>{t('onboarding.body.address')}</dt>
          <dd>{body.address}</dd>
        </dl>
      </section>
      <section className="card">
        <h3>
          {t('onboarding.steps.admin')} {change('admin')}
        </h3>
        <dl className="facts">
          <dt>{t('onboarding.admin.fullName')}</dt>
          <dd>{admin.fullName}</dd>
          <dt>{t('onboarding.admin.email')}</dt>
          <dd>{admin.email}</dd>
        </dl>
      </section>
      <section className="card">
        <h3>
          {t('onboarding.steps.units')} {change('units')}
        </h3>
        <p>{t('onboarding.review.units', { count: d.answers.units.length })}</p>
        <SkippedRows rows={d.skipped.units} />
        <ul>
          {d.answers.units.map((u) => (
            <li key={u.code}>
              {u.code} — {sr(u.name)}
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h3>
          {t('onboarding.steps.staff')} {change('staff')}
        </h3>
        <p>{t('onboarding.review.staff', { count: d.answers.staff.length })}</p>
        <SkippedRows rows={d.skipped.staff} />
      </section>
      <section className="card">
        <h3>
          {t('onboarding.steps.templates')} {change('templates')}
        </h3>
        <ul>
          {d.catalog
            .filter((c) => d.answers.templates.includes(c.key))
            .map((c) => (
              <li key={c.key}>{c.title[locale]}</li>
            ))}
        </ul>
      </section>
      <Form method="post">
        <p>{t('onboarding.review.declaration')}</p>
        <div className="wizard-nav">
          <button type="submit" name="intent" value="back" className="button secondary">
            {t('onboarding.wizard.back')}
          </button>
          <button type="submit" name="intent" value="submit" className="primary" disabled={review.failed.length > 0}>
            {t('onboarding.review.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
