import { migrateStore } from '../../app.ts';
import type { CliCommand } from '../cli-command.ts';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Bring the store’s schema up to date (SQLite, or PostgreSQL with NEWSDESK_DATABASE_URL) and print its version.',
  help: `Usage: newsdesk migrate [--json]

Applies the schema migrations the store is missing and prints the schema version. The store is
PostgreSQL when NEWSDESK_DATABASE_URL is set (postgres://user:password@host:5432/database), else
SQLite under the data dir. Every command also migrates when it opens the store; run this once after
an upgrade, or before starting several processes against a new database. Safe to run while other
processes start: each migration is applied once.

Options:
  --json          { "backend", "version", "applied" }
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { json: { type: 'boolean' } },
  async run({ values, config, out }) {
    const r = migrateStore(config);
    if (values.json) out(JSON.stringify(r));
    else out(`${r.backend}: schema version ${r.version} (${r.applied === 0 ? 'up to date' : `applied ${r.applied} migration${r.applied === 1 ? '' : 's'}`})`);
    return 0;
  },
};
