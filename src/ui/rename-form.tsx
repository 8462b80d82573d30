import { useState } from 'react';

/** Headerless files get generated names; this replaces them by reloading the same file with `names`. */
export function RenameForm({ columns, onRename }: { columns: number; onRename: (names: string[]) => void }) {
  const [text, setText] = useState('');
  const names = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const mismatch = names.length > 0 && names.length !== columns;
  return (
    <form
      className="rename"
      data-testid="rename-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (names.length) onRename(names);
      }}
    >
      <label>
        <span>
          This file has no header row, so its columns got generated names. Paste {columns} comma-separated names to replace them:
        </span>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="duration, protocol_type, service, …" aria-label="column names" />
      </label>
      <button type="submit" disabled={names.length === 0}>
        Reload with these names
      </button>
      {mismatch && (
        <span className="muted">
          {names.length} names for {columns} columns
        </span>
      )}
    </form>
  );
}
