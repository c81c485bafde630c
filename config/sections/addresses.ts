import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** Names an operator may write in an address list instead of the ranges they stand for. */
export const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const isAddress = (s: string): boolean => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s);
const isCidr = (s: string): boolean => {
  const slash = s.lastIndexOf('/');
  return slash > 0 && isAddress(s.slice(0, slash)) && ipaddr.isValidCIDR(s);
};

/** One entry of an address list: an IP address, a CIDR range, or "loopback" / "private". */
export const addressEntry = z
  .string()
  .refine((s) => Object.hasOwn(NAMED_RANGES, s) || isAddress(s) || isCidr(s), {
    message: 'must be an IP address (203.0.113.5, ::1), a CIDR range (10.0.0.0/8, fd00::/8), "loopback" or "private"',
  });
