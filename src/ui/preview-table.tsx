import type { Preview } from '../client/data-client.ts';

/** Columns shown in the preview; wider files say how many more there are. */
const MAX_COLUMNS = 60;

/** The first rows of the table as loaded (collapsed: the profile matters more at first). */
export function PreviewTable({ preview }: { preview: Preview }) {
  const columns = preview.columns.slice(0, MAX_COLUMNS);
  return (
    <section className="panel">
      <details data-testid="preview">
        <summary>
          <b>First {preview.rows.length} rows</b>
          {preview.columns.length > columns.length && <span className="muted"> (first {columns.length} of {preview.columns.length} columns)</span>}
        </summary>
        <div className="scroll preview">
          <table className="grid">
            <thead>
              <tr>
                <th className="n">#</th>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>
                  <td className="n muted">{r + 1}</td>
                  {columns.map((c, i) => (
                    <td key={c} title={row[i]}>
                      {row[i] === '' ? <span className="null">—</span> : row[i]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
