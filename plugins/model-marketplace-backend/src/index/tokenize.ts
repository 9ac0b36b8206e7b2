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
