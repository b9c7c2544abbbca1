import { UserError } from '../errors.ts';

/** The parts of a Discord message a context-menu command reads (discord.js Message fits). */
export interface TargetMessage {
  content: string;
  embeds: ReadonlyArray<{ title?: string | null; description?: string | null }>;
  attachments: { size: number };
}

export interface MessageText {
  text: string;
  /** The text was longer than `max` and was cut (at a word boundary). */
  trimmed: boolean;
  /** Characters before trimming. */
  length: number;
}

const URL_RE = /https?:\/\/[^\s<>()]+/gi;

/**
 * The text of a message as a question: its content without mention and emoji markup, else the text of
 * its embeds (a link preview, another bot's post); cut to `max` characters at a word boundary. A message
 * with only an image or a file, or nothing at all, is refused with a message saying what to do instead.
 */
export function messageText(m: TargetMessage, max: number): MessageText {
  const fromContent = clean(m.content);
  const fromEmbeds = clean(m.embeds.map((e) => [e.title, e.description].filter(Boolean).join('. ')).join('\n'));
  const text = fromContent || fromEmbeds;
  if (!text) {
    throw new UserError(
      'bad-input',
      m.attachments.size > 0
        ? 'That message has only an image or a file, and I can only read text. Ask about it with /ask in your own words.'
        : 'That message has no text to ask about. Ask with /ask instead.',
    );
  }
  if (text.length <= max) return { text, trimmed: false, length: text.length };
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return { text: (space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd(), trimmed: true, length: text.length };
}

/** Whether {@link messageText} finds anything to read in the message. */
export function hasText(m: TargetMessage): boolean {
  return clean(m.content) !== '' || m.embeds.some((e) => clean(`${e.title ?? ''} ${e.description ?? ''}`) !== '');
}

/** Words to search for a message's subject: its text, with each link replaced by the words of its path. */
export function coverageQuery(text: string, max: number): string {
  const words = text
    .replace(URL_RE, (url) => ` ${slugWords(url)} `)
    .replace(/\s+/g, ' ')
    .trim();
  return words.length <= max ? words : words.slice(0, max).replace(/\s+\S*$/, '');
}

/** Links in a message, for matching them against tracked articles. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
}

/** The same page, as far as a reader is concerned: scheme, `www.`, trailing slash, fragment and case of the host ignored. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const x = new URL(u);
      return `${x.hostname.replace(/^www\./, '').toLowerCase()}${x.pathname.replace(/\/+$/, '')}${x.search}`;
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

function slugWords(url: string): string {
  try {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname)
      .split(/[/\-_.+]+/)
      .filter((w) => w && !/^\d+$/.test(w) && !/^(html?|php|aspx?|amp|index|www|news|article|articles)$/i.test(w));
    return path.join(' ') || u.hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function clean(s: string): string {
  return s
    .replace(/<a?:(\w+):\d+>/g, '$1') // custom emoji → its name
    .replace(/<(@[!&]?|#)\d+>/g, ' ') // user, role and channel mentions
    .replace(/<\/[\w -]+:\d+>/g, ' ') // command mentions
    .replace(/\s+/g, ' ')
    .trim();
}
