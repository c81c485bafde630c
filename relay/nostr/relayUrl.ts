/**
 * Whether two relay URLs name the same relay: scheme (ws/wss/http/https), case, default
 * ports and a trailing slash are ignored, as NIP-42 allows ("the domain is usually enough").
 */
export function normaliseRelayUrl(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    const host = u.hostname.toLowerCase();
    const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : '';
    return `${host}${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

export function sameRelay(a: string, b: string): boolean {
  const na = normaliseRelayUrl(a);
  return na !== undefined && na === normaliseRelayUrl(b);
}
