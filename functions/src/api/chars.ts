/**
 * @module chars
 * How the API counts a text's length: in characters as a person counts them, code points, so
 * an emoji is one, not two (JavaScript's `length` counts UTF-16 units). The page counts alike.
 */
export function countChars(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
