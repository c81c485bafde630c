import type { HttpResponse } from '../../relay/server/http.ts';

/** A refusal the API answers with its status and a NIP-01 style prefixed message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Pages' API answers are JSON and never cached (they depend on who asks). */
export const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});

export const invalid = (message: string): ApiError => new ApiError(400, `invalid: ${message}`);
