/**
 * Lines that pages carry around the story rather than in it: video captions, photo credits,
 * bylines, timestamps, share and sign-up prompts. They survive extraction often enough (they sit
 * between paragraphs) and match questions by accident ("Source: CNN"), so they are never quoted
 * as an answer.
 */
const PATTERNS: readonly RegExp[] = [
  /\bVideo Ad Feedback\b/i,
  /\b\d{1,2}:\d{2}\s*[-–—]\s*Source:/i, // "02:57 - Source: CNN" (video duration + credit)
  /^\s*(?:Source|Credit|Photo|Image|Video|Watch|Related|Read more|More|Listen|Advertisement|Caption)\s*:/i,
  /\b(?:Hide|Show) Caption\b/i,
  /\bPhotos?:\s/, // gallery captions "Photos: Princess Diana: Her life and legacy"
  /\((?:[^()]*\/)?(?:Image credit|Photo(?:graph)?|Credit|Getty Images?|AP Photo|AFP|Reuters|Shutterstock)[^()]*\)\s*$/i,
  /\b(?:via|for) Getty Images\b/i,
  /^\s*(?:\(?(?:AP|AFP|Reuters|Getty)\b[^.]{0,40}\)?\s*)$/i,
  // Prompts are imperatives in capitals; "sign up" inside reporting ("voters who sign up") is not one.
  /\b(?:Sign up|Subscribe to|Subscribe now|Follow us|Share this|Share on|Download the app|Read the full story|Read more|Watch live|Now playing|Skip Ad|Support our journalism|Already a subscriber)\b/,
  /\b(?:click|tap) here\b/i,
  /\bAll rights reserved\b|©|\bCopyright \d{4}\b/i,
  /^\s*(?:Updated|Published|Posted|Last updated)\b.{0,60}\b(?:\d{1,2}:\d{2}|[AP]M|ET|GMT|UTC|20\d\d)\b/i,
  /^\s*By\s+\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3}(?:\s*(?:,|and)\s*\p{Lu}[\p{L}.'’ -]{0,40})?$/u, // a byline alone
  /^\s*\d{1,2}:\d{2}(?:\s*[AP]M)?\s*$/i, // a bare timestamp
  /\bThis (?:article|story) (?:was|has been) (?:originally )?(?:published|updated|amended)\b/i,
];

/** True when a sentence is page furniture rather than reporting. */
export function isBoilerplate(sentence: string): boolean {
  return PATTERNS.some((p) => p.test(sentence));
}
