/**
 * `npm run bench -- <name>`: each benchmark prints its own figures and a ratio against a baseline
 * measured in the same run. Nothing here asserts a time.
 */
const benches: Record<string, () => Promise<unknown>> = {
  rules: () => import('./rules.ts'),
  lifecycle: () => import('./lifecycle.ts'),
  api: () => import('./api.ts'),
  monitoring: () => import('./monitoring.ts'),
  payroll: () => import('./payroll.ts'),
  lookup: () => import('./lookup.ts'),
};

const name = process.argv[2];
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await load();
