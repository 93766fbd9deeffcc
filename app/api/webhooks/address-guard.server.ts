// Webhooks never call an address the tenant does not control (ADR 014): every address a host
// name resolves to must be public unicast — not loopback, private, link-local, carrier-grade
// NAT, multicast, reserved or a cloud metadata address — unless the operator allows private
// addresses (WEBHOOK_ALLOW_PRIVATE). The check runs in the connection's own DNS lookup, so the
// address connected to is the address checked (no rebinding between check and call).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { env } from '../../env.server';

export class BlockedAddress extends Error {
  constructor(readonly address: string) {
    super(`webhook address ${address} is not a public address`);
    this.name = 'BlockedAddress';
  }
}

/** Whether the address is public unicast (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

const allowPrivate = () => env().WEBHOOK_ALLOW_PRIVATE;

/** Whether a subscription may use this URL at all: https (http only where private addresses are allowed), no credentials in it. */
export function acceptableUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (raw.length > 2000 || url.username || url.password) return null;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate())) return null;
  return url;
}

/** Resolves the URL's host and refuses it unless every address is public (or private ones are allowed). */
export async function checkHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : (await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, found) => (err ? reject(err) : resolve(found))))).map((a) => a.address);
  if (allowPrivate()) return;
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked || !addresses.length) throw new BlockedAddress(blocked ?? host);
}

/**
 * The refusal of a URL whose host is an address itself, or null. Node connects to an address
 * without calling the lookup, so `guardedLookup` never sees it: this is its check for them.
 */
export function refusedLiteral(url: URL): BlockedAddress | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host) || allowPrivate() || isPublicAddress(host)) return null;
  return new BlockedAddress(host);
}

/** A DNS lookup for http.request that refuses non-public addresses, all of them checked. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, found) => {
    if (err) return callback(err, '', 4);
    const addresses = found as unknown as LookupAddress[];
    const blocked = allowPrivate() ? undefined : addresses.find((a) => !isPublicAddress(a.address));
    if (blocked || !addresses.length) return callback(new BlockedAddress(blocked?.address ?? hostname), '', 4);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
