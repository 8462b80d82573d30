import type { Preview } from '../client/data-client.ts';

/** The first rows of the table, as loaded. */
export function PreviewTable({ preview }: { preview: Preview }) {
  const columns = preview.columns.slice(0, 60);
  return (
    <section className="panel">
      <details>
        <summary>
          First {preview.rows.length} rows{preview.columns.length > columns.length && ` (first ${columns.length} of ${preview.columns.length} columns)`}
        </summary>
        <div className="scroll">
          <table className="grid">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>
                  {columns.map((c, i) => (
                    <td key={c}>{row[i]}</td>
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
