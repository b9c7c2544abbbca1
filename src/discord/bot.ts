import { Events, type Client } from 'discord.js';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createAnswerQueue } from './answer-queue.ts';
import { createDiscordClient } from './client.ts';
import type { AppCommand, BotCore, CommandContext } from './command.ts';
import type { ComponentHandler } from './component-handler.ts';
import { createInflight } from './inflight.ts';
import { createInteractionRouter } from './interaction-router.ts';
import { createMentionHandler } from './mention-handler.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { commandPayloads, syncCommands } from './register-commands.ts';
import { createResultPages } from './result-pages.ts';
import { createAlertService, createDigestService } from './news-services.ts';
import type { Clock } from '../digest/digest-scheduler.ts';
import { whileLeader } from '../sources/while-leader.ts';
import { explainLoginError, explainRegisterError, FIXES, inviteUrl } from './startup-errors.ts';

export const BOT_DEFAULTS = {
  answerConcurrency: 2, // answers generated at once; the rest wait in the bounded queue
  readyTimeoutMs: 30_000, // 30 s to log in and receive READY; a bad token or no network fails much sooner
  shutdownGraceMs: 8_000, // for in-flight answers before they are politely failed…
  shutdownTotalMs: 10_000, // …within 10 s for the whole shutdown (services, disconnect, closing the store)
};

export interface BotOptions {
  /**
   * The application: an open one (the caller closes it), or a function that opens it once the token
   * is checked (the bot then owns it and closes it on stop).
   */
  core: BotCore | (() => Promise<BotCore>);
  /** The slash commands to serve; the entry layer passes `commands/index.ts`'s list in. */
  commands: readonly AppCommand[];
  /** Button/select/modal handlers by custom id prefix; the entry layer passes `commands/index.ts`'s list in. */
  components?: readonly ComponentHandler[];
  /**
   * Leader-only work started once the bot is ready and stopped before the store closes (e.g. the poll
   * scheduler). Called again for each term when leadership moves away and back.
   */
  services?: (core: BotCore) => BotService[];
  shutdownGraceMs?: number;
  /** The digest scheduler's clock and tick (tests drive it with a fake clock). */
  digests?: { clock?: Clock; tickMs?: number; jitterMs?: number };
  /** Login plus READY must finish within this (default BOT_DEFAULTS.readyTimeoutMs). */
  readyTimeoutMs?: number;
}

export interface BotService {
  start(): void;
  stop(): void | Promise<void>;
}

export interface RunningBot {
  client: Client<true>;
  core: BotCore;
  /** Refuses new work, finishes or politely fails in-flight work, disconnects, closes the store. */
  stop(): Promise<void>;
}

/**
 * Logs in and waits for READY, within `timeoutMs` altogether. The timer is cleared on every path, so
 * a failed login never leaves a "READY in time" rejection behind.
 */
async function connect(client: Client, token: string, timeoutMs: number): Promise<Client<true>> {
  let timer: NodeJS.Timeout | undefined;
  let onReady: ((c: Client<true>) => void) | undefined;
  try {
    const ready = new Promise<Client<true>>((resolve, reject) => {
      onReady = resolve;
      client.once(Events.ClientReady, onReady);
      timer = setTimeout(
        () => reject(Object.assign(new Error(`Discord did not send READY within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
    });
    ready.catch(() => undefined); // observed below; never an unhandled rejection
    await Promise.race([client.login(token), ready]);
    return await ready;
  } finally {
    clearTimeout(timer);
    if (onReady) client.off(Events.ClientReady, onReady);
  }
}

/** Connects the bot and returns once it is ready and its commands are registered. */
export async function startBot(config: Config, logger: Logger, opts: BotOptions): Promise<RunningBot> {
  const token = config.discord.token;
  if (!token) throw new UserError('config', 'DISCORD_TOKEN is not set: the bot cannot log in.');
  const log = logger.child({ module: 'discord' });
  const ownsCore = typeof opts.core === 'function';
  const core: BotCore = typeof opts.core === 'function' ? await opts.core() : opts.core;
  const commands = opts.commands;
  const ctx: CommandContext = {
    core,
    logger: log,
    queue: createAnswerQueue({ concurrency: BOT_DEFAULTS.answerConcurrency, maxPending: config.limits.answerQueue }),
    pages: createResultPages(),
  };
  const limiter = createRateLimiter({ userPerMin: config.limits.userPerMin, guildPerMin: config.limits.guildPerMin });
  const inflight = createInflight();
  const client = createDiscordClient(config);

  // Without an 'error' listener an error in the client would kill the process.
  client.on(Events.Error, (err) => log.error('discord client error', { err }));
  client.on(Events.Warn, (message) => log.warn('discord client warning', { message }));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardResume, (shardId) => log.info('gateway resumed', { shardId }));
  client.rest.on('rateLimited', (info) => log.warn('discord rate limit', { route: info.route, retryAfterMs: info.retryAfter }));
  const components = opts.components ?? [];
  client.on(Events.InteractionCreate, createInteractionRouter({ commands, components, ctx, limiter, inflight, logger: log }));
  client.on(Events.MessageCreate, createMentionHandler({ ctx, limiter, inflight, logger: log }));

  let stopped = false;
  // Alerts and scheduled digests post through this client, so they live and die with the bot; with
  // other processes on the same store, only the leader runs them (and the poller).
  const leaderWork = (): BotService[] => [
    createAlertService(core, client),
    createDigestService(core, client, log, opts.digests),
    ...(opts.services?.(core) ?? []),
  ];
  const services: BotService[] = core.openLeadership ? [whileLeader(core.openLeadership(), leaderWork, log)] : leaderWork();
  async function shutdown(): Promise<void> {
    if (stopped) return;
    stopped = true;
    const grace = opts.shutdownGraceMs ?? BOT_DEFAULTS.shutdownGraceMs;
    const deadline = Date.now() + Math.max(grace, BOT_DEFAULTS.shutdownTotalMs - BOT_DEFAULTS.shutdownGraceMs + grace);
    // Services (the poller) stop while answers drain, not after: a slow poll must not stretch the shutdown.
    const servicesStopped = Promise.allSettled(
      services.map((s) => Promise.resolve(s.stop()).catch((err: unknown) => log.warn('service did not stop cleanly', { err }))),
    );
    const drained = await inflight.drain(grace);
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
    if ((await Promise.race([servicesStopped, outOfTime])) === 'timeout') log.warn('services still busy at the shutdown deadline; closing anyway');
    clearTimeout(timer);
    await client.destroy();
    if (ownsCore) await core.close();
    log.info('bot stopped', drained);
  }

  try {
    const c = await connect(client, token, opts.readyTimeoutMs ?? BOT_DEFAULTS.readyTimeoutMs).catch((err: unknown) => {
      throw explainLoginError(err, { apiUrl: config.discord.apiUrl });
    });
    log.info('connected to Discord', {
      user: c.user.tag,
      guilds: c.guilds.cache.size,
      applicationId: c.application.id,
      shards: [...c.ws.shards.keys()],
      shardCount: c.options.shardCount,
    });
    const applicationId = config.discord.clientId ?? c.application.id;
    const guildId = config.discord.guildId;
    if (guildId && !c.guilds.cache.has(guildId)) {
      throw new UserError('config', `The bot is not in the server DISCORD_GUILD_ID=${guildId}. ${FIXES.invite(inviteUrl(applicationId))}`);
    }
    await syncCommands(c.rest, { applicationId, guildId, payloads: commandPayloads(commands), logger: log }).catch((err: unknown) => {
      const explained = explainRegisterError(err, { apiUrl: config.discord.apiUrl, guildId, inviteUrl: inviteUrl(applicationId) });
      log.warn(`could not register slash commands: ${explained.message}`, { err });
    });
    for (const s of services) s.start();
    return { client: c, core, stop: shutdown };
  } catch (err) {
    await shutdown().catch(() => undefined);
    throw err;
  }
}
