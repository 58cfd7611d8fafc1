/**
 * Checks for host names and IP literals in connection strings (pure, no Node imports).
 */

/** How a host was written: a DNS name, an IPv4 literal or an IPv6 literal. */
export type HostFamily = 'dns' | 'ipv4' | 'ipv6';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for a dotted-quad IPv4 address with every octet 0..255. */
export function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * True for an IPv6 address (RFC 4291 text forms, including `::` compression, an embedded
 * IPv4 tail and a `%zone` suffix).
 */
export function isIpv6(text: string): boolean {
  const zone = text.indexOf('%');
  const addr = zone >= 0 ? text.slice(0, zone) : text;
  if (zone >= 0 && !/^[A-Za-z0-9_.-]+$/.test(text.slice(zone + 1))) return false;
  if (addr.length < 2) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  let units = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] as string;
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return false;
      units += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
      units += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? units <= 7 : units === 8;
}

const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$/;

/** True for a DNS host name (labels of letters, digits, `-` and `_`, separated by dots). */
export function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.endsWith('.') ? text.slice(0, -1).split('.') : text.split('.');
  // A name made of digits and dots only would be a malformed IPv4 address.
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => l.length <= 63 && LABEL.test(l));
}

/** Family of a bare IP literal or host name; undefined when it is neither. */
export function hostFamily(text: string): HostFamily | undefined {
  if (isIpv4(text)) return 'ipv4';
  if (isIpv6(text)) return 'ipv6';
  if (isHostName(text)) return 'dns';
  return undefined;
}
