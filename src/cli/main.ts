import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { loadConfig, type Config } from '../config.ts';
import { describeError, isUserError, UserError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { openApp, type App } from '../app.ts';
import { formatAnswer, formatSource } from './format.ts';
import { runConsole } from './console-chat.ts';
import { parseDay, parseSince } from '../text/dates.ts';

/** The seed article shipped with the repository, ingested by `npm start` so a fresh clone can answer. */
export const SEED_DIR = fileURLToPath(new URL('../../data/seed/', import.meta.url));

const USAGE = `Usage: newsdesk <command> [options]

Commands:
  start                         With DISCORD_TOKEN: run the Discord bot. Without: ingest the seed and chat on stdin.
  ingest <path|url>...          Ingest files, directories (.txt .md .html .jsonl[.gz]), article URLs or feeds.
  ask [--json] [--k N] [--as-of YYYY-MM-DD] [--since YYYY-MM-DD|7d] [--source ID] [--guild ID] "question"
  sources list|add <url> [--name N]|remove <id>|refresh [id]|interval <id> <min|default> [--guild ID] [--json]
  reindex                       Re-embed every chunk with the configured embedder and rebuild the index.
  stats [--json]                Counts of sources, articles, chunks and index vectors.
  eval --corpus F --questions F [--k 5] [--limit N] [--config a,b] [--json] [--out DIR]
  eval-alerts --corpus F --labels F [--threshold X] [--json]   Precision/recall of topic alerts.
  bench [--sizes 10000,50000,100000] [--quick]
  deploy-commands               Register the slash commands with Discord.

Configuration comes from the environment and .env (see .env.example).`;

export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  dotenv.config({ quiet: true });
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    process.stderr.write(`newsdesk: ${describeError(err)}\n`);
    return 2;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.openai.apiKey],
  });
  try {
    return await run(command, rest, config, logger);
  } catch (err) {
    if (isUserError(err)) {
      process.stderr.write(`newsdesk: ${err.message}\n`);
      return 1;
    }
    logger.error('command failed', { command, err });
    process.stderr.write(`newsdesk: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function run(command: string, args: string[], config: Config, logger: Logger): Promise<number> {
  switch (command) {
    case 'start':
      return start(config, logger);
    case 'ingest':
      return withCore(config, logger, (nd) => ingestCmd(nd, args));
    case 'ask':
      return withCore(config, logger, (nd) => askCmd(nd, args));
    case 'sources':
      return withCore(config, logger, (nd) => sourcesCmd(nd, args));
    case 'stats':
      return withCore(config, logger, async (nd) => {
        const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
        const s = nd.stats();
        if (values.json) print(JSON.stringify(s));
        else
          print(
            `${s.sources} sources · ${s.articles} articles · ${s.chunks} chunks · ${s.index.vectors} vectors (${s.index.embedder}, ${s.index.dim}-d)`,
          );
        return 0;
      });
    case 'reindex':
      return withCore(
        config,
        logger,
        async (nd) => {
          const r = await nd.reindex((done, total) => process.stderr.write(`\rre-embedded ${done}/${total}`));
          process.stderr.write('\n');
          print(`Re-embedded ${r.chunks} chunks with ${nd.embedderId}; index rebuilt.`);
          return 0;
        },
        { allowEmbedderChange: true },
      );
    case 'eval': {
      const { evalCommand } = await import('../eval/eval-command.ts');
      return evalCommand(args, config, logger);
    }
    case 'eval-alerts': {
      const { evalAlertsCommand } = await import('../eval/eval-alerts-command.ts');
      return evalAlertsCommand(args);
    }
    case 'bench': {
      const { benchCommand } = await import('../bench/bench-command.ts');
      return benchCommand(args, config, logger);
    }
    case 'deploy-commands': {
      const { deployCommandsCommand } = await import('./deploy-commands.ts');
      return deployCommandsCommand(config, logger);
    }
    default:
      process.stderr.write(`newsdesk: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

async function withCore(
  config: Config,
  logger: Logger,
  fn: (nd: App) => Promise<number>,
  opts: { allowEmbedderChange?: boolean } = {},
): Promise<number> {
  const nd = await openApp(config, { logger, ...opts });
  try {
    return await fn(nd);
  } finally {
    await nd.close();
  }
}

function print(s: string): void {
  process.stdout.write(s + '\n');
}

async function start(config: Config, logger: Logger): Promise<number> {
  if (config.discord.token) {
    const { runBot } = await import('./run-bot.ts');
    return runBot(config, logger);
  }
  return withCore(config, logger, async (nd) => {
    const [seed] = await nd.sources.addPath(SEED_DIR);
    const seeded = seed ? `${seed.report.added} new, ${seed.report.unchanged} already stored` : 'nothing found';
    process.stderr.write(
      `Newsdesk: seed data ingested from ${SEED_DIR} (${seeded}). No DISCORD_TOKEN is set, so this is a local console chat.\n` +
        `To connect to Discord, set DISCORD_TOKEN and DISCORD_CLIENT_ID in .env (see README, "Connect to Discord") and run npm start again.\n`,
    );
    return runConsole(nd, process.stdin, process.stdout);
  });
}

async function ingestCmd(nd: App, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, guild: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UserError('bad-input', 'Nothing to ingest: give files, directories or URLs.');
  const summary: Array<Record<string, unknown>> = [];
  let failed = 0;
  for (const target of positionals) {
    try {
      const results = /^https?:\/\//i.test(target)
        ? [await nd.sources.addUrl(target, { guildId: values.guild ?? null, name: values.name })]
        : await nd.sources.addPath(target, (r) => process.stderr.write(`\r${target}: ${r.added} added, ${r.chunks} chunks`));
      if (!/^https?:/i.test(target)) process.stderr.write('\n');
      for (const r of results) {
        const line = {
          source: r.source.url,
          id: r.source.id,
          kind: r.source.kind,
          added: r.report.added,
          updated: r.report.updated,
          unchanged: r.report.unchanged,
          alternates: r.report.alternates,
          skipped: r.report.skipped.length,
          chunks: r.report.chunks,
        };
        summary.push(line);
        if (!values.json) {
          print(
            `${r.source.url}: ${line.added} added, ${line.updated} updated, ${line.unchanged} unchanged, ${line.alternates} duplicates of stored stories, ${line.skipped} skipped (${line.chunks} chunks)`,
          );
          for (const s of r.report.skipped.slice(0, 5)) print(`  skipped ${s.title}: ${s.reason}`);
        }
      }
    } catch (err) {
      if (!isUserError(err)) throw err;
      failed++;
      summary.push({ source: target, error: err.message });
      process.stderr.write(`newsdesk: ${target}: ${err.message}\n`);
    }
  }
  if (values.json) print(JSON.stringify(summary));
  return failed > 0 ? 1 : 0;
}

async function askCmd(nd: App, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      k: { type: 'string' },
      'as-of': { type: 'string' },
      since: { type: 'string' },
      source: { type: 'string', multiple: true },
      guild: { type: 'string' },
    },
  });
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UserError('bad-input', '--k takes a whole number from 1 to 50.');
  const asOf = values['as-of'] ? parseDay(values['as-of'], '--as-of') : undefined;
  const since = values.since ? parseSince(values.since, asOf ?? new Date(), '--since') : undefined;
  const sourceIds = values.source?.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n)) throw new UserError('bad-input', `--source takes a source id (see "newsdesk sources list"), got "${s}".`);
    return n;
  });
  const result = await nd.ask(positionals.join(' '), {
    k,
    asOf,
    since,
    sourceIds,
    guildId: values.guild,
    withPassages: values.json,
  });
  print(values.json ? JSON.stringify(result) : formatAnswer(result));
  return 0;
}

async function sourcesCmd(nd: App, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, guild: { type: 'string' }, name: { type: 'string' } },
  });
  const [action = 'list', arg] = positionals;
  const scope = values.guild ? { kind: 'guild' as const, guildId: values.guild } : { kind: 'all' as const };
  switch (action) {
    case 'list': {
      const list = nd.sources.list(scope);
      if (values.json) print(JSON.stringify(list));
      else print(list.length ? list.map(formatSource).join('\n') : 'No sources yet. Add one with: newsdesk sources add <url>');
      return 0;
    }
    case 'add': {
      if (!arg) throw new UserError('bad-input', 'sources add needs a URL (a feed or an article page).');
      const r = await nd.sources.addUrl(arg, { guildId: values.guild ?? null, name: values.name });
      if (values.json) print(JSON.stringify({ source: r.source, added: r.report.added, skipped: r.report.skipped }));
      else print(`Tracking #${r.source.id} ${r.source.name ?? r.source.url} (${r.source.kind}): ${r.report.added} new articles${r.newestTitle ? `, newest: ${r.newestTitle}` : ''}.`);
      return 0;
    }
    case 'interval': {
      const id = Number(arg);
      const raw = positionals[2];
      if (!Number.isInteger(id) || raw === undefined) {
        throw new UserError('bad-input', 'Usage: newsdesk sources interval <id> <minutes|default>');
      }
      const s = nd.sources.setInterval(id, raw === 'default' ? null : Number(raw), scope);
      print(`#${id} is polled every ${s.pollIntervalMin ?? nd.config.polling.intervalMin} minutes; next poll ${s.nextPollAt}.`);
      return 0;
    }
    case 'remove': {
      const id = Number(arg);
      if (!Number.isInteger(id)) throw new UserError('bad-input', 'sources remove needs a source id (see "newsdesk sources list").');
      const r = await nd.sources.remove(id, scope);
      print(`Removed source #${id} and ${r.removedArticles} articles no other source carries.`);
      return 0;
    }
    case 'refresh': {
      const ids = arg ? [Number(arg)] : nd.sources.list(scope).filter((s) => s.kind !== 'file').map((s) => s.id);
      let failed = 0;
      for (const id of ids) {
        try {
          const r = await nd.sources.refresh(id);
          print(`#${id}: ${r.notModified ? 'not modified' : `${r.report.added} new, ${r.report.updated} updated`}`);
        } catch (err) {
          if (!isUserError(err)) throw err;
          failed++;
          print(`#${id}: failed — ${err.message}`);
        }
      }
      return failed ? 1 : 0;
    }
    default:
      throw new UserError('bad-input', `Unknown sources action "${action}": use list, add, remove, refresh or interval.`);
  }
}
