/** `https://user:pass@host/…` → `https://host/…` wherever a URL appears in a text (messages, logs). */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, '$1');
}
