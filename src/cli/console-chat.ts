import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describeError } from '../errors.ts';
import type { App } from '../app.ts';
import { withContext } from '../discord/mention-handler.ts';
import { formatAnswer } from './format.ts';

export const CONSOLE_HELP = `Type a question about the tracked news and press Enter; answers cite their articles as [1], [2]…
A short follow-up ("and what did Washington say?", "why did he say that?") is asked together with
the previous question, like a reply to the bot in Discord. Commands:
  help        this text
  new         forget the previous question (the next one starts fresh)
  quit, exit  leave (or Ctrl-D)`;

// Follow-ups lean on the previous question: they open with a connective or refer back with a pronoun.
const FOLLOW_UP_START = /^(?:and|but|also|so|then|what about|how about|and what|why|who else|what else)\b/i;
const BACK_REFERENCE = /\b(?:he|she|they|him|her|them|his|hers|its|their|it|that|this|those|these|there)\b/i;
const FOLLOW_UP_MAX_WORDS = 10;

/** True when `question` reads as a follow-up to the previous one (short, and leaning on it). */
export function isFollowUp(question: string): boolean {
  const words = question.split(/\s+/).filter(Boolean).length;
  return words <= FOLLOW_UP_MAX_WORDS && (FOLLOW_UP_START.test(question) || BACK_REFERENCE.test(question));
}

/**
 * Reads questions line by line and prints answers. Works interactively (with a prompt) and piped
 * (`echo "question" | npm start` answers and exits at end of input).
 */
export async function runConsole(nd: Pick<App, 'ask'>, input: Readable, output: Writable): Promise<number> {
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    output.write('Ask a question about the tracked news ("help" for help, "quit" or Ctrl-D to leave).\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  let previous: string | undefined;
  for await (const line of rl) {
    const q = line.trim();
    const word = q.toLowerCase().replace(/[.!?]+$/, '');
    if (word === 'quit' || word === 'exit' || word === ':q') break;
    if (word === 'help' || word === '?') output.write(CONSOLE_HELP + '\n\n');
    else if (word === 'new') {
      previous = undefined;
      output.write('Starting afresh: the next question is asked on its own.\n\n');
    } else if (q) {
      const asked = previous && isFollowUp(q) ? withContext(previous, q) : q;
      try {
        output.write(formatAnswer(await nd.ask(asked)) + '\n\n');
        previous = q === asked ? q : asked;
      } catch (err) {
        output.write(`Sorry: ${describeError(err)}\n\n`);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return 0;
}
