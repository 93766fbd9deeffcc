import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireNational } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { domainError } from '../errors';
import { ErrorSummary, Field } from '../ui/field';
import { createTemplate } from '../workflow/publishing/catalog.server';
import { newTemplateSchema } from '../workflow/publishing/forms';
import { parseForm } from '../framework/form.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request, 'publish:template:national');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const access = await requireNational(context, request, 'publish:template:national');
  const submission = await parseForm(request, newTemplateSchema);
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const { key, titleCyrl, titleEn, category, classification } = submission.value;
  const actor = { nationalTenantId: access.tenant.id, userId: access.signedIn.user.id };
  try {
    await withTenant(
      access.tenant.id,
      (tx) => createTemplate(tx, actor, key, { title: { 'sr-Cyrl': titleCyrl, en: titleEn }, category, classification, fields: [], route: [] }),
      { userId: actor.userId },
    );
  } catch (error) {
    if (domainError(error, 'conflict')) {
      return data(submission.reply({ fieldErrors: { key: ['catalog.errors.keyTaken'] } }), { status: 409 });
    }
    throw error;
  }
  throw redirect(`/national/templates/${key}/v/1`);
}

export default function NewTemplate() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newTemplateSchema }),
  });
  const inputs = [
    { meta: fields.key, label: t('catalog.create.key'), help: t('catalog.create.keyHelp') },
    { meta: fields.titleCyrl, label: t('catalog.create.titleCyrl') },
    { meta: fields.titleEn, label: t('catalog.create.titleEn') },
    { meta: fields.category, label: t('catalog.create.category'), help: t('catalog.create.categoryHelp') },
    { meta: fields.classification, label: t('catalog.create.classification'), help: t('catalog.create.classificationHelp') },
  ];
  return (
    <div className="card narrow">
      <h1>{t('catalog.create.title')}</h1>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={inputs.filter((i) => i.meta.errors?.length).map((i) => ({ href: `#${i.meta.id}`, text: `${i.label}: ${t(i.meta.errors![0])}` }))}
      />
      <Form method="post" {...getFormProps(form)}>
        {inputs.map((i) => (
          <Field key={i.meta.name} id={i.meta.id} label={i.label} help={i.help} errors={i.meta.errors?.map((e) => t(e))}>
            {(aria) => <input {...getInputProps(i.meta, { type: 'text' })} {...aria} />}
          </Field>
        ))}
        <button type="submit" className="primary">
          {t('catalog.create.submit')}
        </button>
      </Form>
    </div>
  );
}
