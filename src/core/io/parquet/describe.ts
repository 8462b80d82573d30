/** The first line of an error's message, capped, for a LoadError's parenthesis. */
export function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
