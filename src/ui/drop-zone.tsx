import { useRef, useState, type DragEvent, type ReactNode } from 'react';

/** The whole page as a drop target for files; outlined while a file is dragged over it. */
export function DropZone({ onFile, children }: { onFile: (file: File) => void; children: ReactNode }) {
  // dragenter / dragleave fire for every child crossed; count them so the outline does not flicker.
  const depth = useRef(0);
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  return (
    <div
      className={over ? 'app dragging' : 'app'}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (hasFiles(e)) e.preventDefault();
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) onFile(file);
      }}
    >
      {children}
      {over && <div className="drop-hint">Drop to load the file</div>}
    </div>
  );
}
