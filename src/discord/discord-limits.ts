/** Discord's message limits (characters), as the API enforces them. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  /** Sum of every text in one embed (title, description, field names and values, footer, author). */
  embedTotal: 6000,
  embedFields: 25,
  embedsPerMessage: 10,
  choiceName: 100,
  choices: 25,
  buttonLabel: 80,
  customId: 100,
} as const;

/** Characters Discord counts against `embedTotal` for one embed. */
export function embedLength(embed: {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
  author?: { name: string };
}): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}
