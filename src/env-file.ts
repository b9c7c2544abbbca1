import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { PROJECT_ROOT, type ConfigSource } from './config.ts';

export interface LoadedEnv extends ConfigSource {
  env: Record<string, string | undefined>;
}

/**
 * The process environment plus the first `.env` found in the working directory or the project root.
 * Variables already in the environment win (as with dotenv). Returns where each value came from, so
 * a configuration error can name the file.
 */
export function readEnv(base: Record<string, string | undefined>, cwd = process.cwd()): LoadedEnv {
  const candidates = [...new Set([path.join(cwd, '.env'), path.join(PROJECT_ROOT, '.env')])];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) return { env: { ...base }, origins: {}, envFile: null, cwd };
  const parsed = dotenv.parse(fs.readFileSync(file));
  const env = { ...base };
  const origins: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (env[k] !== undefined && env[k] !== '') continue;
    env[k] = v;
    origins[k] = file;
  }
  return { env, origins, envFile: file, cwd };
}
