import type { Command } from '../src/discord/command.ts';
import { ask } from './ask.ts';
import { help } from './help.ts';
import { latest } from './latest.ts';
import { search } from './search.ts';
import { sources } from './sources.ts';

/** Every slash command, in the order Discord lists them. Explicit: no directory scanning. */
export const commands: readonly Command[] = [ask, search, latest, sources, help];
