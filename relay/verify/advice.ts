/**
 * What an operator running a slower verifier should do to get the native one (libsecp256k1,
 * about 5× the verifications per core of the WASM builds); undefined when the native one runs.
 */
export function fastVerifierAdvice(running: string): string | undefined {
  if (running === 'native') return undefined;
  return `the native libsecp256k1 verifier is not running (about 5x faster per core): install the system package (Debian/Ubuntu: apt-get install libsecp256k1-dev), then rebuild it with npm run install`;
}
