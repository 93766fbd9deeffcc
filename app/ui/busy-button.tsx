// A submit button that says when its work is under way: the request can take seconds (a CSV
// file of thousands of staff, creating an organisation). It shows a spinner and a spoken
// status, and a second click does not send the form again. Without JavaScript it is a plain
// submit button.
import { useNavigation } from '@remix-run/react';
import type { ButtonHTMLAttributes, MouseEvent } from 'react';

export function BusyButton({ busyText, name, value, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { name: string; value: string; busyText: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get(name) === value;
  const click = (event: MouseEvent<HTMLButtonElement>) => {
    if (busy) event.preventDefault();
    onClick?.(event);
  };
  return (
    <>
      <button type="submit" {...rest} name={name} value={value} onClick={click} aria-busy={busy || undefined} aria-disabled={busy || undefined} />
      <span role="status" className="busy-note">
        {busy ? busyText : ''}
      </span>
    </>
  );
}
