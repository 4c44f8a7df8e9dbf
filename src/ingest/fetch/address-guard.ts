// SSRF guard: resolve a host ourselves, refuse internal addresses, and hand back one checked address to pin the connection to.
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { IngestError } from '../errors.ts';

// Ranges no feed should live in (RFC 6890 special-purpose registries). Documentation ranges are
// left out on purpose: they are never routed, so refusing them adds nothing.
// Two lists: one BlockList holding both families matches IPv4 addresses against IPv6 rules.
const blocked4 = new net.BlockList();
const blocked6 = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT, RFC 6598
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives at 169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked4.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 can reach internal IPv4
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates to whatever the local network holds
  ['100::', 64], // discard
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked6.addSubnet(prefix, bits, 'ipv6');

/** The 16 bytes of an IPv6 literal (WHATWG URL gives its canonical form: hex groups, at most one '::'). */
function ipv6Bytes(address: string): number[] {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.split('::') as [string, string | undefined];
  const groups = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

const v4 = (b: number[], at: number): string => b.slice(at, at + 4).join('.');

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach IPv4 hosts: IPv4-mapped
 * (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96, RFC 2765), IPv4-compatible (::/96) and
 * 6to4 (2002::/16, RFC 3056). (NAT64's prefixes are in the block list whole.)
 */
function embeddedIpv4(b: number[]): string | null {
  const zeros = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(b, 12);
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return v4(b, 12);
  if (zeros(0, 12)) return v4(b, 12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(b, 2);
  return null;
}

/** True when `address` (an IP literal) is loopback, private, link-local, CGNAT, multicast, unspecified, or an IPv6 form that reaches one of those. */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked4.check(address, 'ipv4');
  if (family === 6) {
    if (blocked6.check(address, 'ipv6')) return true;
    const b = ipv6Bytes(address);
    // Mapped, translated and compatible forms are refused outright: ::ffff:127.0.0.1 is loopback in
    // disguise, and no real feed is published that way. 6to4 is refused when its IPv4 address is.
    const inner = embeddedIpv4(b);
    if (inner === null) return false;
    if (b[0] === 0x20 && b[1] === 0x02) return blocked4.check(inner, 'ipv4');
    return true;
  }
  return true; // not an IP at all: refuse rather than guess
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface GuardOptions {
  allowPrivate: boolean;
  lookup?: LookupFunction;
  /** Lets a caller (tests) allow an address the guard would refuse, per host name. */
  allowAddress?: (address: string, hostname: string) => boolean;
}

type Answer = { address: string; family: number };

function lookupAll(lookup: LookupFunction, hostname: string): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const cb = (err: NodeJS.ErrnoException | null, address: string | Answer[], family?: number): void => {
      if (err) reject(err);
      else if (Array.isArray(address)) resolve(address);
      else resolve([{ address, family: family ?? net.isIP(address) }]);
    };
    (lookup as (h: string, o: dns.LookupAllOptions, c: typeof cb) => void)(hostname, { all: true }, cb);
  });
}

/** Strips the brackets WHATWG URL keeps around IPv6 literals. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Resolves `hostname` (every address) and refuses the lot if any address is internal, unless
 * `allowPrivate`. Returns the address to connect to, so DNS cannot be asked again at connect time.
 */
export async function resolveChecked(hostname: string, options: GuardOptions): Promise<ResolvedAddress> {
  const host = bareHostname(hostname);
  let answers: Answer[];
  if (net.isIP(host)) {
    answers = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      answers = await lookupAll(options.lookup ?? (dns.lookup as LookupFunction), host);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw new IngestError('dns', `DNS lookup failed for ${host} (${code})`, { cause });
    }
  }
  if (answers.length === 0) throw new IngestError('dns', `DNS lookup for ${host} returned no address`);
  if (!options.allowPrivate) {
    const bad = answers.find((a) => isBlockedAddress(a.address) && !options.allowAddress?.(a.address, host));
    if (bad)
      throw new IngestError('blocked_address', `refused: ${host} resolves to the internal address ${bad.address}`);
  }
  const first = answers[0] as Answer;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A `lookup` for http.request that always answers with the address checked above (defeats DNS rebinding). */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, opts: dns.LookupOptions, cb: (...args: unknown[]) => void) => {
    if (opts && opts.all) cb(null, [{ address: pinned.address, family: pinned.family }]);
    else cb(null, pinned.address, pinned.family);
  }) as LookupFunction;
}
