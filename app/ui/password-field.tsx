// A new password's field with a strength meter. Without JavaScript it is a plain field and the
// server's verdict appears beside it after sending; with JavaScript the meter judges as the
// user types, with the server's own function (loaded on the first keystroke, with its
// dictionaries), so it never says "good" to a password the server then refuses.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { contextWords, problemMessage } from '../auth/password-policy';
import type { PasswordVerdict } from '../auth/password-strength';
import { Field } from './field';

/** "key" or "key|value" → the translated text. */
export function messageText(t: TFunction, message: string): string {
  const [key, value] = message.split('|');
  return value === undefined ? t(key) : t(key, { value, count: Number(value) });
}

type Judge = (password: string, words: readonly string[]) => PasswordVerdict;
let judge: Promise<Judge> | undefined;
const loadJudge = () => (judge ??= import('../auth/password-strength').then((m) => m.judgePassword));

export interface NewPasswordFieldProps {
  id: string;
  label: string;
  help?: string;
  errors?: string[];
  /** What the password must not be built on: the person's name, email, organisation. */
  context: readonly (string | null | undefined)[];
  children: (aria: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

export function NewPasswordField({ id, label, help, errors, context, children }: NewPasswordFieldProps) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  const words = contextWords(context).join('\n');
  const latest = useRef(0);
  useEffect(() => {
    if (!password) {
      setVerdict(null);
      return;
    }
    const call = ++latest.current;
    const timer = setTimeout(() => {
      void loadJudge().then((judgePassword) => {
        if (call === latest.current) setVerdict(judgePassword(password, words.split('\n')));
      });
    }, 150);
    return () => clearTimeout(timer);
  }, [password, words]);
  const onInput = (event: FormEvent<HTMLDivElement>) => {
    const target = event.target as HTMLInputElement;
    if (target.id === id) setPassword(target.value);
  };
  return (
    <div onInput={onInput}>
      <Field id={id} label={label} help={help} errors={errors}>
        {children}
      </Field>
      <div className="password-meter" aria-live="polite">
        {verdict ? (
          <>
            <meter min={0} max={4} low={2} high={3} optimum={4} value={verdict.score} aria-label={t('accounts.meter.label')} />
            <span>
              {t('accounts.meter.label')}: {t(`accounts.meter.score${verdict.score}`)}.{' '}
              {verdict.problem ? messageText(t, problemMessage(verdict.problem)) : t('accounts.meter.accepted')}
            </span>
          </>
        ) : null}
      </div>
    </div>
  );
}
