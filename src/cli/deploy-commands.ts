import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { commands } from '../../commands/index.ts';
import { createRest } from '../discord/client.ts';
import { commandPayloads, putCommands } from '../discord/register-commands.ts';
import { explainRegisterError, inviteUrl } from '../discord/startup-errors.ts';

/**
 * `npm run deploy-commands`: registers the slash commands with Discord — in one guild when
 * DISCORD_GUILD_ID is set (instant; for testing), otherwise globally. Returns the exit code.
 */
export async function deployCommandsCommand(config: Config, logger: Logger): Promise<number> {
  const { token, clientId, guildId } = config.discord;
  const missing = [!token && 'DISCORD_TOKEN', !clientId && 'DISCORD_CLIENT_ID'].filter(Boolean);
  if (!token || !clientId) throw new UserError('config', `${missing.join(' and ')} must be set to register commands (see .env.example).`);
  const payloads = commandPayloads(commands);
  const started = performance.now();
  await putCommands(createRest(config, token), clientId, guildId, payloads).catch((err: unknown) => {
    throw explainRegisterError(err, { apiUrl: config.discord.apiUrl, guildId, inviteUrl: inviteUrl(clientId) });
  });
  logger.info('slash commands deployed', { guildId: guildId ?? null, count: payloads.length, latencyMs: Math.round(performance.now() - started) });
  process.stdout.write(
    `Registered ${payloads.length} commands (${payloads.map((p) => (p.type === 3 ? `"${p.name}" (message menu)` : `/${p.name}`)).join(', ')}) ${guildId ? `in guild ${guildId}` : 'globally'}.\n`,
  );
  return 0;
}
