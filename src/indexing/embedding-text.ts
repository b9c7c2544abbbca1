/** The text a chunk is embedded with: the title travels with every passage. */
export function embeddingText(title: string, chunk: string): string {
  return `${title}\n\n${chunk}`;
}
