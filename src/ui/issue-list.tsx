import { count } from './format.ts';

/** Lists longer than this show their head and say how many more there are (a 20,000-column file). */
const SHOWN = 200;

/** A collapsible list of issues, warnings or renames. total: the complete count when items are capped upstream. */
export function IssueList({ title, items, total, open, testId }: { title: string; items: string[]; total?: number; open?: boolean; testId?: string }) {
  const more = Math.max(total ?? items.length, items.length) - Math.min(items.length, SHOWN);
  return (
    <details className="issues" open={open} data-testid={testId}>
      <summary>{title}</summary>
      <ul>
        {items.slice(0, SHOWN).map((item, i) => (
          <li key={i}>{item}</li>
        ))}
        {more > 0 && <li className="muted">… and {count(more)} more</li>}
      </ul>
    </details>
  );
}
