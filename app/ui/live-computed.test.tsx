// @vitest-environment happy-dom
// The live figures of a template's form in the browser: the server's figures stand until the
// form differs from what it was sent with, then follow every edit.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { standardCatalog } from '#app/workflow/catalog/index';
import { computedDescriptors } from '../workflow/template/form';
import { LiveComputed } from './live-computed';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const request = standardCatalog.find((t) => t.key === 'overtime-request')!;
const stored = { date: '2026-12-16', plannedStart: '16:00', plannedEnd: '19:00' };
// Not what the stored values give (3,00): shows whether the figure was recomputed.
const serverFigure = '7.25';

let root: Root | undefined;
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = '';
});

/** The form as the page sends it (each input's default is the stored value), with the live figures inside. */
function mount({ initialMatchesForm = true, before, figure = serverFigure }: { initialMatchesForm?: boolean; before?: (form: HTMLFormElement) => void; figure?: string } = {}) {
  const form = document.createElement('form');
  for (const [name, value] of Object.entries(stored)) {
    const input = document.createElement('input');
    input.name = name;
    input.type = name === 'date' ? 'date' : 'time';
    input.defaultValue = value;
    form.append(input);
  }
  const host = document.createElement('div');
  form.append(host);
  document.body.append(form);
  before?.(form);
  root = createRoot(host);
  const render = (shown: string) =>
    root!.render(
      <LiveComputed
        computing={{ fields: request.fields, computed: request.computed, rules: request.rules, tenantParameters: request.tenantParameters, parameterValues: {} }}
        descriptors={computedDescriptors(request, 'en')}
        stored={stored}
        initial={{ hours: shown }}
        initialBasis={{}}
        initialMatchesForm={initialMatchesForm}
        locale="en"
        idPrefix="t"
      />,
    );
  act(() => render(figure));
  return { form, render: (shown: string) => act(() => render(shown)) };
}

/** The figure as the page shows it (here in Serbian, with a decimal comma). */
const figure = () => document.querySelector('.live-computed output')?.textContent?.replace(',', '.');
const live = () => document.querySelector('.live-computed')?.getAttribute('data-live');

function type(form: HTMLFormElement, name: string, value: string) {
  const input = form.elements.namedItem(name) as HTMLInputElement;
  input.value = value;
  act(() => input.dispatchEvent(new Event('input', { bubbles: true })));
}

describe('the live figures of a form', () => {
  it("keep the server's figures while the form is as it was sent, then follow what is typed", () => {
    const { form } = mount();
    expect(figure()).toBe(serverFigure);
    expect(live()).toBeNull();
    type(form, 'plannedEnd', '20:30');
    expect(figure()).toBe('4.50');
    expect(live()).toBe('on');
    type(form, 'plannedEnd', '19:00');
    expect(figure()).toBe('3.00');
  });

  it('recompute at once when the browser restored other values, or the user typed before the scripts ran', () => {
    mount({ before: (form) => ((form.elements.namedItem('plannedStart') as HTMLInputElement).value = '15:00') });
    expect(figure()).toBe('4.00');
  });

  it('recompute at once when the figures are not those of the values shown (a refused form with what was typed)', () => {
    mount({ initialMatchesForm: false });
    expect(figure()).toBe('3.00');
  });

  it('drop figures typed into the form before when the page shows another document as sent', () => {
    const { form, render } = mount();
    type(form, 'plannedEnd', '20:30');
    expect(figure()).toBe('4.50');
    // Another document's card, the same component kept: its form as sent, its server's figures.
    (form.elements.namedItem('plannedEnd') as HTMLInputElement).value = '19:00';
    render('6.00');
    expect(figure()).toBe('6.00');
    expect(live()).toBeNull();
  });
});
