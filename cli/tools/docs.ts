// `npm run docs`: writes the generated parts of the docs from the code they describe.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDefaultToml } from '../../config/doc.ts';
import { withBuiltinsTable } from '../../policies/describe.ts';

const at = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const readme = at('policies/README.md');
writeFileSync(readme, withBuiltinsTable(readFileSync(readme, 'utf8')));
writeFileSync(at('config/default.toml'), renderDefaultToml());
console.log('wrote policies/README.md (built-ins table) and config/default.toml');
