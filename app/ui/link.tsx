// Links within the app, as Remix's <Link> and <NavLink> render them, without their cost per link.
//
// Remix's <Link> runs about a dozen hooks for every link it renders (prefetch state and effects,
// resolving its path against the matched routes three times over, each with a JSON copy of the
// matches, a click handler of its own): a list page of 25 links spent an eighth of its server
// CPU there (concurrent A/B of the inbox, 5.5 → 4.8 ms per request), to render what is, for a
// path within the app, `<a href data-discover>`. These render exactly that markup (the same
// attribute Remix's lazy route discovery looks for), and one listener (`useLinkNavigation`, in
// the root layout) gives every such link Remix's client-side navigation, as <Link>'s own click
// handler would: a plain left click, no modifier key, no other target, same origin. Without
// JavaScript, or with a modifier key (a new tab), they are ordinary links.
import { useNavigate, useLocation } from '@remix-run/react';
import { useEffect, type AnchorHTMLAttributes, type ReactNode } from 'react';

type AnchorProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>;

export interface LinkProps extends AnchorProps {
  /** A path within the app (`/t/surdulica/inbox`), or a query of the current page (`?page=2`). */
  to: string;
  /** A full page load instead of client-side navigation (a page that must be fetched whole). */
  reloadDocument?: boolean;
  /** The page stays scrolled where it is (a link that changes a part of the page it is on). */
  preventScrollReset?: boolean;
  children?: ReactNode;
}

export function Link({ to, reloadDocument, preventScrollReset, ...props }: LinkProps) {
  // In the order Remix's <Link> writes its attributes.
  return <a {...props} data-discover={reloadDocument ? undefined : 'true'} data-prevent-scroll-reset={preventScrollReset ? '' : undefined} href={to} />;
}

export interface NavLinkProps extends LinkProps {
  /** Current only on this very path, not on the paths below it. */
  end?: boolean;
}

/** Whether `to` is the page at `pathname`, or (unless `end`) a section `pathname` is in: NavLink's rule, case-insensitive. */
export function isCurrent(to: string, pathname: string, end = false): boolean {
  const target = (to.length > 1 && to.endsWith('/') ? to.slice(0, -1) : to).toLowerCase();
  const here = pathname.toLowerCase();
  if (here === target) return true;
  return !end && (target === '/' ? false : here.startsWith(`${target}/`));
}

/** A link of a navigation bar: `aria-current="page"` where the reader is, as Remix's NavLink marks it. */
export function NavLink({ end, ...props }: NavLinkProps) {
  const { pathname } = useLocation();
  return <Link aria-current={isCurrent(props.to, pathname, end) ? 'page' : undefined} {...props} />;
}

/** Whether a click on `anchor` is one that Remix's <Link> would have navigated client-side. */
export function navigatesInApp(event: Pick<MouseEvent, 'defaultPrevented' | 'button' | 'metaKey' | 'altKey' | 'ctrlKey' | 'shiftKey'>, anchor: HTMLAnchorElement, origin: string): boolean {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return false;
  if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return false;
  return new URL(anchor.href).origin === origin;
}

/**
 * Client-side navigation for every `<a data-discover>` on the page. Listening on window, it runs
 * after React's own handlers (on the document), so a link whose handler took the click (Remix's
 * <Link>, a form's button) is left alone. A link to the page already shown replaces it in the
 * history, as <Link> does.
 */
export function useLinkNavigation(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const anchor = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[data-discover][href]') : null;
      if (!anchor || !navigatesInApp(event, anchor, window.location.origin)) return;
      event.preventDefault();
      const url = new URL(anchor.href);
      const path = url.pathname + url.search + url.hash;
      navigate(path, {
        replace: path === window.location.pathname + window.location.search + window.location.hash,
        preventScrollReset: anchor.hasAttribute('data-prevent-scroll-reset'),
      });
    };
    window.addEventListener('click', onClick);
    return () => window.removeEventListener('click', onClick);
  }, [navigate]);
}
