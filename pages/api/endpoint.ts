import type { Role } from './roles.ts';

/** One signed call as an endpoint sees it. */
export interface ApiCall {
  /** The signer of the NIP-98 token. */
  pubkey: string;
  roles: ReadonlySet<Role>;
  query: URLSearchParams;
  /** The parsed JSON body of a POST ({} for a GET). */
  body: Record<string, unknown>;
}

/** An API endpoint of the pages: its path under /api/, its method and the role it needs. */
export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  role: Role;
  handle(call: ApiCall): unknown;
}
