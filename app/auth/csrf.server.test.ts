import { describe, expect, it } from 'vitest';
import { isCrossSite } from './csrf.server';

const site = 'https://delovod.gov.rs';

describe('cross-site request refusal', () => {
  it('lets reads through whatever their origin', () => {
    expect(isCrossSite('GET', { origin: 'https://evil.example', secFetchSite: 'cross-site' }, site)).toBe(false);
  });
  it('refuses a POST from another site, by Origin or by Sec-Fetch-Site', () => {
    expect(isCrossSite('POST', { origin: 'https://evil.example', host: 'delovod.gov.rs' }, site)).toBe(true);
    expect(isCrossSite('POST', { secFetchSite: 'cross-site' }, site)).toBe(true);
    expect(isCrossSite('POST', { secFetchSite: 'same-site', origin: 'https://sub.delovod.gov.rs' }, site)).toBe(true);
    expect(isCrossSite('POST', { origin: 'null' }, site)).toBe(true);
  });
  it('accepts a POST from the site itself', () => {
    expect(isCrossSite('POST', { origin: site, secFetchSite: 'same-origin', host: 'delovod.gov.rs' }, site)).toBe(false);
    expect(isCrossSite('POST', { origin: 'http://localhost:3000', host: 'localhost:3000' }, 'http://localhost:3000')).toBe(false);
  });
  it('accepts a POST without browser headers (no ambient credentials to abuse)', () => {
    expect(isCrossSite('POST', {}, site)).toBe(false);
  });
});
