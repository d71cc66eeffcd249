// Layers point one way: schema ← parse ← documents ← crawler / store / workers ← cli (docs/architecture.md).
// `npm run lint` fails on an import against that direction. src/sim (the simulated web) and src/eval are tools
// built on the layers; only the CLI and tests use them.
const layer = (name) => `^src/${name}/`;
const below = {
  schema: ['parse', 'documents', 'crawler', 'store', 'workers', 'cli', 'sim', 'eval', 'config'],
  parse: ['documents', 'crawler', 'store', 'workers', 'cli', 'sim', 'eval', 'config'],
  documents: ['crawler', 'store', 'workers', 'cli', 'sim', 'eval', 'config'],
  crawler: ['store', 'workers', 'cli', 'sim', 'eval'],
  store: ['crawler', 'workers', 'cli', 'sim', 'eval'],
  config: ['crawler', 'store', 'workers', 'cli', 'sim', 'eval'],
  workers: ['cli', 'sim', 'eval'],
  eval: ['cli', 'crawler', 'store', 'workers', 'sim'],
};
module.exports = {
  forbidden: [
    ...Object.entries(below).map(([from, banned]) => ({
      name: `${from}-imports-upward`,
      comment: `src/${from} must not import ${banned.join(', ')}: layers point one way (docs/architecture.md)`,
      severity: 'error',
      from: { path: layer(from) },
      to: { path: `^src/(${banned.join('|')})/` },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
};
