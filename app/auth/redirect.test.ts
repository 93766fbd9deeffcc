import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

// Where the app may run, and pages a Location header may be resolved against.
const pages = ['https://delovod.gov.rs/login', 'https://delovod.gov.rs/t/surdulica/admin/staff?x=1', 'http://localhost:3000/locale'];

/**
 * What a browser does to a Location value before the URL parser sees it (WHATWG URL: leading
 * and trailing C0 controls and spaces dropped, tabs and line breaks removed; a backslash is a
 * slash in http(s) URLs), then the parse itself against the page.
 */
function browserResolves(location: string, page: string): URL {
  const cleaned = location.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '').replace(/\\/g, '/');
  return new URL(cleaned, page);
}

/** A proxy or a framework in front that decodes the path once before routing or redirecting. */
function decodedOnce(location: string): string {
  const path = location.split(/[?#]/, 1)[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function staysOnSite(result: string): void {
  expect(result.startsWith('/')).toBe(true);
  expect(result[1] === '/' || result[1] === '\\').toBe(false);
  expect(/[\u0000-\u0020\u007f\\]/.test(result)).toBe(false);
  for (const page of pages) {
    expect(browserResolves(result, page).origin).toBe(new URL(page).origin);
    expect(new URL(result, page).origin).toBe(new URL(page).origin);
  }
  expect(/^\/[/\\]/.test(decodedOnce(result))).toBe(false);
  // The browser reads the same URL again: checking the answer changes nothing.
  expect(safeRedirect(result, '!')).toBe(result);
}

// Pieces of every trick we know: schemes in any case, slashes and backslashes, characters that
// browsers strip or ignore, encoded slashes and dots, userinfo, hosts.
const pieces = [
  '/', '//', '\\', '/\\', '\\/', '\t', '\n', '\r', ' ', '\u0000', '\u0001', '\u001f', '\u007f', '\u00a0', '\u3000', '\ufeff',
  '%2f', '%2F', '%5c', '%5C', '%09', '%0a', '%0d', '%00', '%252f', '%2e', '%2e%2e', '.', '..', '@', ':', '?', '#', '&', '=',
  'javascript:', 'JaVaScRiPt:', 'java\tscript:', 'data:', 'vbscript:', 'http:', 'https:', 'HTTPS:', 'file:', 'blob:',
  'evil.example', 'evil.example:443', 'user:pass@evil.example', '127.0.0.1', '[::1]', 'xn--e1afmkfd', 'д.срб',
  't', 'tenants', 'login', 'alert(1)',
];
const payload = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

describe('safeRedirect', () => {
  it('answers only with a path that every browser resolves on this site, for composed attack strings', () => {
    fc.assert(
      fc.property(payload, (to) => {
        const result = safeRedirect(to, '/fallback');
        staysOnSite(result);
      }),
      { numRuns: 5_000 },
    );
  });

  it('answers only with a path on this site for any text at all', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, anyText.map((s) => `/${s}`), fc.webUrl(), fc.webPath()), (to) => {
        staysOnSite(safeRedirect(to, '/fallback'));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps an ordinary path of the app as it was', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const query = fc.option(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), query, (segments, params) => {
        const search = params && Object.keys(params).length ? `?${new URLSearchParams(params)}` : '';
        const path = `/${segments.join('/')}${search}`;
        expect(safeRedirect(path)).toBe(path);
      }),
    );
  });

  it('refuses each kind of open redirect we know of', () => {
    const refused = [
      '//evil.example', '/\\evil.example', '\\/evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example',
      ' //evil.example', '\u0000//evil.example', '/%2f%2fevil.example', '/%5cevil.example', '/%2F/evil.example', 'https://evil.example',
      'HTTPS://evil.example', 'javascript:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)', 'https:evil.example', '/a/..//evil.example',
      '/./../..//evil.example', '/%2e%2e//evil.example', '/ /evil.example', '/\u007f/evil.example', 'evil.example', '', null, undefined, `/${'a'.repeat(3000)}`,
    ];
    for (const to of refused) expect(safeRedirect(to, '/fallback'), JSON.stringify(to)).toBe('/fallback');
  });

  it('keeps what a signed-out reader was looking at, query and all', () => {
    expect(safeRedirect('/t/surdulica/registry?q=1%2F2026&year=2026')).toBe('/t/surdulica/registry?q=1%2F2026&year=2026');
    expect(safeRedirect('/t/surdulica/documents/1#comments')).toBe('/t/surdulica/documents/1#comments');
    expect(safeRedirect('/t/surdulica/registry?q=Петровић')).toBe('/t/surdulica/registry?q=%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B8%D1%9B');
    expect(safeRedirect(null, '')).toBe('');
  });
});
