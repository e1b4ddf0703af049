/**
 * @module template
 * Fills `${NAME}` placeholders the way the nginx image's envsubst step does: only the names
 * given are replaced, so nginx's own `$variables` pass through untouched.
 */

/**
 * @example
 * fillTemplate('listen ${PORT}; set $x 1;', { PORT: '8080' }) // → 'listen 8080; set $x 1;'
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (match, name: string) => values[name] ?? match);
}

/** The placeholders a template still has after filling; a non-empty list is a bug. */
export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]!);
}
