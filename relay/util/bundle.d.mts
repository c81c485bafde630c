/** Where the bundles are written (node_modules/.cache/hamlet). */
export declare const BUNDLE_DIR: string;
/** The path of the plain-JS bundle of a TypeScript module (built once per process); rejects if it cannot be built or written. */
export declare function bundleModule(entry: URL | string): Promise<string>;
