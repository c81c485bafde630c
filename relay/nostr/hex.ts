const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

export const isHex64 = (s: unknown): s is string => typeof s === 'string' && s.length === 64 && HEX64.test(s);
export const isHex128 = (s: unknown): s is string => typeof s === 'string' && s.length === 128 && HEX128.test(s);
