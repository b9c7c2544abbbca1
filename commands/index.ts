import type { AppCommand } from '../src/discord/command.ts';
import type { ComponentHandler } from '../src/discord/component-handler.ts';
import { ask } from './ask.ts';
import { help } from './help.ts';
import { latest } from './latest.ts';
import { search, searchPager } from './search.ts';
import { feedback } from './feedback.ts';
import { askMessage } from './ask-message.ts';
import { findCoverage } from './find-coverage.ts';
import { insights, insightsPurge } from './insights.ts';
import { settings } from './settings.ts';
import { sources } from './sources.ts';
import { watch, watchButtons } from './watch.ts';
import { updatesButton } from './updates-since.ts';
import { digest } from './digest.ts';

/** Every slash command, in the order Discord lists them. Explicit: no directory scanning. */
export const commands: readonly AppCommand[] = [ask, search, latest, sources, watch, digest, insights, settings, help, askMessage, findCoverage];

/** Every button/select/modal handler, by custom id prefix (see src/discord/component-handler.ts). */
export const components: readonly ComponentHandler[] = [searchPager, watchButtons, updatesButton, feedback, insightsPurge];
