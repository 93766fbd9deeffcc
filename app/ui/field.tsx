import type { ReactNode } from 'react';

export interface FieldProps {
  id: string;
  label: string;
  errors?: string[];
  help?: string;
  children: (aria: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control with its help and its errors announced with it. */
export function Field({ id, label, errors, help, children }: FieldProps) {
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [errors?.length ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help ? (
        <span id={helpId} className="field__help">
          {help}
        </span>
      ) : null}
      {errors?.length ? (
        <span id={errorId} className="field__error">
          {errors.join(' ')}
        </span>
      ) : null}
      {children({ id, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}

export function ErrorSummary({ title, messages }: { title: string; messages: Array<{ href?: string; text: string }> }) {
  if (!messages.length) return null;
  return (
    <div className="alert alert--error" role="alert" tabIndex={-1}>
      <h2>{title}</h2>
      <ul>
        {messages.map((m) => (
          <li key={m.text + m.href}>{m.href ? <a href={m.href}>{m.text}</a> : m.text}</li>
        ))}
      </ul>
    </div>
  );
}
