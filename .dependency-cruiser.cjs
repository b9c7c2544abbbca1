// Import boundaries, as written down in docs/architecture.md (change both together).
// Layers from the bottom: base → db, fetch → retrieval → indexing → ingest, answer → core, sources → app.ts → entry.
const BASE = '^src/(config|errors|logger|types|openai-client)[.]ts$|^src/text/';
const ENTRY = '^(src/(cli|discord|eval|bench)/|commands/)';

/** A layer may import itself and the paths in `allowed`; anything else under src/ or commands/ is upward or sideways. */
const layer = (name, from, allowed) => ({
  name: `layer-${name}`,
  comment: `${name} may import only: its own folder, ${allowed.join(', ') || 'nothing else'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: from },
  to: { path: '^(src|commands)/', pathNot: [from, BASE, ...allowed] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('base', BASE, []),
    layer('db', '^src/db/', []),
    layer('fetch', '^src/fetch/', []),
    layer('retrieval', '^src/retrieval/', ['^src/db/']),
    layer('indexing', '^src/indexing/', ['^src/retrieval/', '^src/db/']),
    layer('ingest', '^src/ingest/', ['^src/indexing/', '^src/fetch/']),
    layer('answer', '^src/answer/', []),
    layer('core', '^src/core/', ['^src/answer/', '^src/retrieval/', '^src/db/']),
    layer('sources', '^src/sources/', ['^src/ingest/', '^src/indexing/', '^src/fetch/', '^src/db/']),
    // Topic watches, digests and answer freshness: services over core (ask), the store's read repositories and retrieval.
    layer('news', '^src/(news|watches|digest|freshness)/', ['^src/core/', '^src/answer/', '^src/retrieval/', '^src/db/']),
    layer('app', '^src/app[.]ts$', ['^src/(db|fetch|retrieval|indexing|ingest|answer|core|sources|news|watches|digest|freshness)/']),
    {
      name: 'sql-only-in-db',
      comment: 'Only src/db/ talks to SQLite or PostgreSQL.',
      severity: 'error',
      from: { path: '^(src|commands)/', pathNot: '^src/db/' },
      to: { path: 'node_modules/(better-sqlite3|pg)/|^src/db/database[.]ts$|^src/db/pg/' },
    },
    {
      name: 'front-ends-never-reach-the-store',
      comment: 'CLI, Discord, commands, eval and bench use App; from src/db/ they may import declared types only.',
      severity: 'error',
      from: { path: ENTRY },
      to: { path: '^src/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-do-not-import-entry-points',
      comment: 'src/discord/ gets the command list and the App passed in by src/cli/.',
      severity: 'error',
      from: { path: '^src/discord/' },
      to: { path: '^(commands/|src/cli/|src/app[.]ts$|src/eval/|src/bench/)' },
    },
    {
      name: 'commands-stay-thin',
      comment: 'Slash commands parse, call the core through their context, and format.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^src/(app[.]ts|cli/|eval/|bench/|indexing/|ingest/|sources/|retrieval/|fetch/)' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^(src|commands)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type-only cycle or upward arrow is still a design dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
