import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { App } from '../app.ts';

/** Opens the engine for one command and closes it afterwards, whatever happens. */
export async function withCore<T>(
  config: Readonly<Config>,
  logger: Logger,
  fn: (nd: App) => Promise<T>,
  opts: { allowEmbedderChange?: boolean; readOnly?: boolean } = {},
): Promise<T> {
  // Loaded on use: the engine pulls in SQLite, HNSW and LangChain, which `--help` does not need.
  const { openApp } = await import('../app.ts');
  const nd = await openApp(config, { logger, ...opts });
  try {
    return await fn(nd);
  } finally {
    await nd.close();
  }
}
