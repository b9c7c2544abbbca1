/**
 * Article text and user input are shown back in Discord. `allowedMentions: { parse: [] }` already stops
 * pings; these functions also stop the text from *rendering* as a mention or breaking our markdown.
 */

const ZWSP = '\u200b';

/** Breaks @everyone, @here and <@…>/<@&…>/<#…> mentions so they render as plain text. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<([@#])/g, `<${ZWSP}$1`);
}

/**
 * Shows text from articles and from the LLM as text: masked links (`[the portal](https://evil…)`)
 * keep only their words, spoilers and code fences are escaped, invite links are removed, and
 * headings / subtext markers at a line start lose their effect. Only links the bot builds itself (the
 * numbered source list) are rendered as links.
 */
export function neutralizeMarkdown(text: string): string {
  return (
    text
      // [text](url "title") and [text](<url>) → text
      .replace(/\[([^\[\]\n]*)\]\(\s*<?[^()\s>]*>?(?:\s+"[^"]*")?\s*\)/g, '$1')
      .replace(INVITE, '[invite removed]')
      .replace(/\|\|/g, '\\|\\|')
      .replace(/```/g, '\\`\\`\\`')
      .replace(/^([ \t]*)(#{1,3}|-#)(?=[ \t])/gm, '$1\\$2')
  );
}

const INVITE = /(?:https?:\/\/)?(?:www\.)?(?:discord(?:app)?\.com\/invite|discord\.gg|dsc\.gg)\/[\w-]+/gi;

/** Text from a source or the LLM, safe to show as plain text in a message or embed. */
export function plainText(text: string): string {
  return neutralizeMentions(neutralizeMarkdown(text));
}

/** Text safe to put inside `[…](url)` link markup: brackets would end the link text early. */
export function linkText(text: string): string {
  return plainText(text).replace(/\[/g, '(').replace(/\]/g, ')').replace(/\s+/g, ' ').trim();
}

/** A URL we are willing to render as a markdown link: http(s) only, no characters that break `(url)`. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const s = u.toString().replace(/\(/g, '%28').replace(/\)/g, '%29');
  return s.length <= 512 ? s : null;
}

/** Cuts to `max` characters with an ellipsis, at a word boundary when one is near. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1;
  const cut = text.slice(0, room);
  const space = cut.lastIndexOf(' ');
  return (space > room * 0.6 ? cut.slice(0, space) : cut).trimEnd() + '…';
}
