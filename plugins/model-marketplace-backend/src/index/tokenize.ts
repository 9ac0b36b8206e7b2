/**
 * Splits text into lower-case word tokens: letters and digits, with the
 * parts of hyphenated or dotted words also kept whole ("llama-3" gives
 * "llama", "3" and "llama-3").
 */
export function tokenize(text: string | undefined): string[] {
  if (!text) {
    return [];
  }
  const lower = text.toLocaleLowerCase('en-US');
  const tokens = new Set<string>();
  for (const word of lower.split(/[\s,;:!?()[\]{}"'/]+/)) {
    const trimmed = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!trimmed) {
      continue;
    }
    const parts = trimmed.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (const part of parts) {
      tokens.add(part);
    }
    if (parts.length > 1) {
      tokens.add(trimmed);
    }
  }
  return [...tokens];
}

/**
 * Text as its lower-case words joined by single spaces, ignoring
 * punctuation: "Whisper Large-v3" and "whisper-large-v3" both give
 * "whisper large v3". Compares a query with a whole title or name.
 */
export function wordKey(text: string | undefined): string {
  if (!text) {
    return '';
  }
  return text
    .toLocaleLowerCase('en-US')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}
