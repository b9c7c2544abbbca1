import net from 'node:net';
import { UserError } from '../errors.ts';

/**
 * Which IP addresses the fetcher may connect to. Pure functions: the fetcher resolves a host, asks
 * here about every address it got, and connects only to addresses that passed.
 */

type Bytes = Uint8Array;
interface Cidr {
  net: Bytes;
  bits: number;
}
interface Range extends Cidr {
  reason: string;
}

/** Parses an IPv4 or IPv6 literal (brackets and a zone id tolerated) into 4 or 16 bytes. */
export function parseIp(ip: string): Bytes | null {
  const s = ip
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .split('%')[0]!;
  const kind = net.isIP(s);
  if (kind === 4) return Uint8Array.from(s.split('.').map(Number));
  if (kind !== 6) return null;
  let text = s.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseIp(dotted[1]!)!;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = text.slice(0, dotted.index) + `${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return null;
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const bits = len === undefined ? max : /^\d+$/.test(len) ? Number(len) : NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { net: bytes, bits };
}

function inCidr(addr: Bytes, { net: prefix, bits }: Cidr): boolean {
  if (addr.length !== prefix.length) return false;
  let i = 0;
  for (; bits >= 8; i++, bits -= 8) if (addr[i] !== prefix[i]) return false;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (addr[i]! & mask) === (prefix[i]! & mask);
}

const ranges = (list: Array<[string, string]>): Range[] => list.map(([cidr, reason]) => ({ ...parseCidr(cidr)!, reason }));

// First match wins, so the more specific ranges come first.
const V4: Range[] = ranges([
  ['255.255.255.255/32', 'the broadcast address'],
  ['0.0.0.0/8', 'a "this network" address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a carrier-grade NAT (shared) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address (where cloud metadata services live)'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'an IETF protocol-assignment address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.88.99.0/24', 'a deprecated 6to4 relay address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
]);

// Checked after the forms that embed an IPv4 address (mapped, NAT64, 6to4) have been unwrapped.
const V6: Range[] = ranges([
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['64:ff9b:1::/48', 'a local-use NAT64 address'],
  ['::/8', 'a reserved address'],
  ['100::/64', 'a discard-only address'],
  // Teredo hides the client's IPv4 address (XOR-ed), so it cannot be vetted: refuse the prefix.
  ['2001::/32', 'a Teredo tunnel address'],
  ['2001:2::/48', 'a benchmarking address'],
  ['2001:10::/28', 'a reserved (ORCHID) address'],
  ['2001:20::/28', 'a reserved (ORCHID) address'],
  ['2001:db8::/32', 'a documentation address'],
  ['3fff::/20', 'a documentation address'],
  ['fc00::/7', 'a private (unique local) address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a deprecated site-local address'],
  ['ff00::/8', 'a multicast address'],
]);

const MAPPED = parseCidr('::ffff:0:0/96')!;
const NAT64 = parseCidr('64:ff9b::/96')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;

/** The IPv4 address carried inside an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address. */
function embeddedV4(b: Bytes): Bytes | null {
  if (b.length !== 16) return null;
  if (inCidr(b, MAPPED) || inCidr(b, NAT64)) return b.slice(12, 16);
  if (inCidr(b, SIX_TO_FOUR)) return b.slice(2, 6);
  return null;
}

// A mapped address and its IPv4 form are the same host: compare them as IPv4.
function normalize(b: Bytes): Bytes {
  return b.length === 16 && inCidr(b, MAPPED) ? b.slice(12, 16) : b;
}
function normalizeCidr(c: Cidr): Cidr {
  return c.net.length === 16 && c.bits >= 96 && inCidr(c.net, MAPPED) ? { net: c.net.slice(12, 16), bits: c.bits - 96 } : c;
}

function reasonFor(b: Bytes): string | null {
  if (b.length === 4) return V4.find((r) => inCidr(b, r))?.reason ?? null;
  const v4 = embeddedV4(b);
  if (v4) {
    const inner = reasonFor(v4);
    return inner && `${inner} (IPv4 ${v4.join('.')} inside an IPv6 address)`;
  }
  const hit = V6.find((r) => inCidr(b, r));
  if (hit) return hit.reason;
  // Only 2000::/3 is handed out as global unicast; anything else is not a public host.
  return (b[0]! & 0xe0) === 0x20 ? null : 'a reserved address';
}

/**
 * Why an address must not be fetched from ("a private address", …), or null when it is public.
 * Anything that does not parse as an IP address is refused.
 */
export function forbiddenReason(ip: string): string | null {
  const bytes = parseIp(ip);
  return bytes ? reasonFor(bytes) : 'not a valid IP address';
}

/** True for loopback, private, link-local, multicast, reserved, documentation … addresses. */
export function isForbiddenAddress(ip: string): boolean {
  return forbiddenReason(ip) !== null;
}

export interface Allowlist {
  /** True when the operator allowed this host name, or a CIDR / address covering `ip`. */
  allows(host: string, ip: string): boolean;
}

const HOST_RE = /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/**
 * Builds the operator's escape hatch (NEWSDESK_FETCH_ALLOWLIST). Entries are host names
 * (`intranet.example`, or `*.corp.example` for its subdomains), single addresses or CIDRs.
 * An entry that is none of these throws a `config` error rather than being silently ignored.
 */
export function createAllowlist(entries: string[]): Allowlist {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const cidrs: Cidr[] = [];
  for (const raw of entries) {
    const entry = normalizeHost(raw);
    if (entry === '') continue;
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(normalizeCidr(cidr));
    else if (entry.includes('/') || /^[\d.]+$/.test(entry) || !HOST_RE.test(entry))
      throw new UserError('config', `NEWSDESK_FETCH_ALLOWLIST: "${raw}" is not a host name, an IP address or a CIDR (e.g. 10.0.0.0/8).`);
    else if (entry.startsWith('*.')) suffixes.push(entry.slice(1));
    else hosts.add(entry);
  }
  return {
    allows(host, ip) {
      const h = normalizeHost(host);
      if (hosts.has(h) || suffixes.some((s) => h.endsWith(s))) return true;
      const bytes = parseIp(ip);
      if (!bytes) return false;
      const addr = normalize(bytes);
      return cidrs.some((c) => inCidr(addr, c));
    },
  };
}
