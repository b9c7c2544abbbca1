import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describeError } from '../errors.ts';
import type { App } from '../app.ts';
import { formatAnswer } from './format.ts';

/**
 * Reads questions line by line and prints answers. Works interactively (with a prompt) and piped
 * (`echo "question" | npm start` answers and exits at end of input).
 */
export async function runConsole(nd: App, input: Readable, output: Writable): Promise<number> {
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    output.write('Ask a question about the tracked news (Ctrl-D to quit).\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const q = line.trim();
    if (q) {
      try {
        output.write(formatAnswer(await nd.ask(q)) + '\n\n');
      } catch (err) {
        output.write(`Sorry: ${describeError(err)}\n\n`);
      }
    }
    if (interactive) rl.prompt();
  }
  return 0;
}
