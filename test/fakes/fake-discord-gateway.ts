/**
 * The gateway half of the fake: one WebSocket session per connection, speaking Discord's v10
 * protocol in plain JSON frames (HELLO → IDENTIFY → READY + GUILD_CREATE…, heartbeats, RESUME).
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { GatewayIntentBits, type ApplicationFlags, type APIUser, type GatewayIdentifyData, type GatewayReadyDispatchData } from 'discord.js';
import type { WebSocket } from 'ws';

/** Gateway close codes the fake uses (Discord's numbers). */
export const GatewayClose = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
} as const;

const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const ALL_INTENTS = (1 << 26) - 1; // bits 0–25 are defined in API v10

/** What a session needs from the fake around it. */
export interface GatewayHost {
  readonly token: string;
  readonly gatewayUrl: string;
  readonly heartbeatIntervalMs: number;
  /** Privileged intents the "developer portal" allows (a bitfield). */
  readonly allowedPrivilegedIntents: number;
  readonly botUser: APIUser;
  readonly applicationId: string;
  /** The guilds a session on `shard` receives (Discord: `(guild_id >> 22) % shard_count === shard_id`). */
  readonly guildIds: (shard: ShardSpec) => string[];
  /** GUILD_CREATE payloads to send after READY to a session on `shard`, in order. */
  readonly guildCreates: (shard: ShardSpec) => unknown[];
  readonly onIdentify: (session: GatewaySession, data: GatewayIdentifyData) => void;
  readonly onPayload: (session: GatewaySession, payload: GatewayFrame) => void;
}

/** `[shard_id, num_shards]` as IDENTIFY carries it; `[0, 1]` when the client does not shard. */
export type ShardSpec = readonly [id: number, count: number];

/** The shard a guild's events go to, Discord's formula: `(guild_id >> 22) % num_shards`. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Whether a session on `shard` receives events of `guildId` (DMs go to shard 0 only). */
export function receives(shard: ShardSpec, guildId: string | undefined): boolean {
  return guildId === undefined ? shard[0] === 0 : shardOfGuild(guildId, shard[1]) === shard[0];
}

/** One gateway frame as it goes over the wire. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** One client connection. `intents` is known once IDENTIFY arrived. */
export class GatewaySession {
  readonly sessionId = randomBytes(16).toString('hex');
  /** Every frame sent to the client, in order. */
  readonly sent: GatewayFrame[] = [];
  intents = 0;
  identified = false;
  /** The shard this session identified as (`[0, 1]` until IDENTIFY, or when it does not shard). */
  shard: ShardSpec = [0, 1];
  private sequence = 0;
  private compress = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: GatewayHost,
  ) {}

  /** Sends a dispatch (op 0) with the next sequence number. */
  dispatch(event: string, data: unknown): void {
    this.sequence += 1;
    this.send({ op: 0, d: data, s: this.sequence, t: event });
  }

  /** Closes the connection with a gateway close code. */
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Drops the connection without a close frame, like a network failure. */
  terminate(): void {
    this.ws.terminate();
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  start(): void {
    this.ws.on('message', (raw, isBinary) => this.onMessage(raw.toString(), isBinary));
    this.send({ op: 10, d: { heartbeat_interval: this.host.heartbeatIntervalMs }, s: null, t: null });
  }

  private send(frame: GatewayFrame): void {
    this.sent.push(frame);
    if (!this.open) return;
    const json = JSON.stringify(frame);
    // IDENTIFY `compress: true` asks for each payload zlib-deflated in a binary frame.
    this.ws.send(this.compress ? deflateSync(json) : json);
  }

  private onMessage(text: string, isBinary: boolean): void {
    let frame: GatewayFrame;
    try {
      if (isBinary) throw new Error('binary frames need encoding=etf');
      frame = JSON.parse(text) as GatewayFrame;
    } catch {
      this.close(GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.host.onPayload(this, frame);
    switch (frame.op) {
      case 1: // HEARTBEAT
        this.send({ op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.identify(frame.d as GatewayIdentifyData);
        return;
      case 6: // RESUME: sessions are not kept, so always "invalid session, do not resume"
        this.send({ op: 9, d: false, s: null, t: null });
        return;
      case 3: // PRESENCE_UPDATE
      case 4: // VOICE_STATE_UPDATE
      case 8: // REQUEST_GUILD_MEMBERS
      case 31: // REQUEST_SOUNDBOARD_SOUNDS
        if (!this.identified) this.close(GatewayClose.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        this.close(GatewayClose.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private identify(data: GatewayIdentifyData): void {
    if (this.identified) return this.close(GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
    if (data?.token !== this.host.token) return this.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
    const shard: ShardSpec = data.shard ?? [0, 1];
    const [shardId, shardCount] = shard;
    if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      return this.close(GatewayClose.InvalidShard, 'Invalid shard.');
    }
    const intents = Number(data.intents);
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      return this.close(GatewayClose.InvalidIntents, 'Invalid intent(s).');
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.host.allowedPrivilegedIntents) !== 0) {
      return this.close(GatewayClose.DisallowedIntents, 'Disallowed intent(s).');
    }
    this.identified = true;
    this.intents = intents;
    this.shard = [shardId, shardCount];
    this.compress = data.compress === true;
    this.host.onIdentify(this, data);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.host.botUser,
      guilds: this.host.guildIds(this.shard).map((id) => ({ id, unavailable: true })),
      session_id: this.sessionId,
      resume_gateway_url: this.host.gatewayUrl,
      shard: [shardId, shardCount],
      application: { id: this.host.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.dispatch('READY', ready);
    for (const guild of this.host.guildCreates(this.shard)) this.dispatch('GUILD_CREATE', guild);
  }
}

/**
 * Checks the connection URL the way Discord does: `v=10` (other versions close with 4012),
 * `encoding=json` (etf is not spoken here), no transport compression (zlib-stream needs zlib-sync,
 * which is not installed; discord.js then does not ask for it).
 */
export function checkGatewayQuery(req: IncomingMessage): { code: number; reason: string } | null {
  const params = new URL(req.url ?? '/', 'http://fake').searchParams;
  const v = params.get('v');
  if (v !== null && v !== '10') return { code: GatewayClose.InvalidApiVersion, reason: 'Invalid API version.' };
  const encoding = params.get('encoding') ?? 'json';
  if (encoding !== 'json') return { code: GatewayClose.DecodeError, reason: `fake-discord speaks encoding=json only, not ${encoding}` };
  const compress = params.get('compress');
  if (compress !== null) return { code: GatewayClose.DecodeError, reason: `fake-discord does not support compress=${compress}` };
  return null;
}
