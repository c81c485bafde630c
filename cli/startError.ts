/**
 * Why `hamlet start` cannot start, in words the operator can act on: printed as one line on
 * stderr with exit code 1, never as a stack trace.
 */
export class StartError extends Error {}
