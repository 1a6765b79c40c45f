// How well a subscription's label and field values match a search text, for the one-off search's order: a
// label that is the text, then one whose first word it is, that starts with it, has it as a word, has a word
// starting with it, contains it, has each of its words; then the same for a field value. Pure: the caller reads the few rows the index found.

/** Folds case and diacritics as the index does (trigram tokenizer, remove_diacritics 1). */
export function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Tiers of one text against one value, best first; NONE when the value does not hold the text. */
const EQUAL = 0;
const FIRST_WORD = 1;
const STARTS = 2;
const WORD = 3;
const WORD_STARTS = 4;
const CONTAINS = 5;
const EVERY_WORD = 6;
const NONE = 7;

const letterOrDigit = (c: string) => /[\p{L}\p{N}]/u.test(c);

function tier(value: string, text: string, words: string[]): number {
  if (value === text) return EQUAL;
  let best = NONE;
  for (let at = value.indexOf(text); at >= 0; at = value.indexOf(text, at + 1)) {
    const opens = at === 0 || !letterOrDigit(value.charAt(at - 1));
    const closes = at + text.length === value.length || !letterOrDigit(value.charAt(at + text.length));
    const found =
      at === 0 ? (closes ? FIRST_WORD : STARTS) : opens ? (closes ? WORD : WORD_STARTS) : CONTAINS;
    best = Math.min(best, found);
  }
  if (best !== NONE) return best;
  return words.length > 1 && words.every((word) => value.includes(word)) ? EVERY_WORD : NONE;
}

export interface Candidate {
  id: number;
  label: string | null;
  /** The subscription's custom fields as stored (a JSON object), or null. */
  fields: string | null;
}

function fieldValues(fields: string | null): string[] {
  if (!fields) return [];
  try {
    const parsed = JSON.parse(fields) as unknown;
    return parsed && typeof parsed === 'object' ? Object.values(parsed).map((v) => folded(String(v))) : [];
  } catch {
    return [];
  }
}

/**
 * A score, lower is better: a label match of any tier before a field match (as the old bm25 weights of 10
 * to 1 did), a match of the whole text before one of its words spread over label and fields, and within a
 * tier the shorter value (the closer match) first.
 */
export function relevance(candidate: Candidate, search: string): number {
  const text = folded(search.trim());
  const words = text.split(/\s+/).filter(Boolean);
  const label = folded(candidate.label ?? '');
  const byLabel = tier(label, text, words);
  if (byLabel !== NONE) return byLabel * 10_000 + Math.min(label.length, 9_999);
  // Every word somewhere, across label and fields (the index's AND of words): after any one value's match.
  let best = (2 * NONE + 1) * 10_000;
  for (const value of fieldValues(candidate.fields)) {
    const byField = tier(value, text, words);
    if (byField !== NONE)
      best = Math.min(best, (NONE + 1 + byField) * 10_000 + Math.min(value.length, 9_999));
  }
  return best;
}

/** The candidates best first (ties by id, the order they were added in). */
export function ranked<T extends Candidate>(candidates: T[], search: string): T[] {
  return candidates
    .map((candidate) => ({ candidate, score: relevance(candidate, search) }))
    .sort((a, b) => a.score - b.score || a.candidate.id - b.candidate.id)
    .map(({ candidate }) => candidate);
}
