import type { TableProfile } from '../client/data-client.ts';
import { count, plural } from './format.ts';

type Warning = TableProfile['warnings'][number];

/** Shown first: what most changes how a model should be trained. */
const ORDER: Warning['kind'][] = ['single-class', 'label-imbalance', 'duplicates', 'too-many-columns', 'all-missing', 'constant', 'near-constant', 'many-missing', 'non-finite', 'unique-id', 'high-cardinality'];
const SHOWN = 200;

/** Data-quality warnings from the profile, most consequential first. */
export function WarningsPanel({ warnings }: { warnings: Warning[] }) {
  const sorted = [...warnings].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return (
    <section className="panel" data-testid="warnings">
      <h2>
        Data quality <span className="muted">{warnings.length ? plural(warnings.length, 'warning') : ''}</span>
      </h2>
      {warnings.length === 0 ? (
        <p className="muted">No warnings: no constant columns, no duplicates, nothing mostly missing.</p>
      ) : (
        <ul className="warnings">
          {sorted.slice(0, SHOWN).map((w, i) => (
            <li key={i}>
              <span className={`flag w-${w.kind}`}>{w.kind}</span> {w.message}
            </li>
          ))}
          {warnings.length > SHOWN && <li className="muted">… and {count(warnings.length - SHOWN)} more</li>}
        </ul>
      )}
    </section>
  );
}
