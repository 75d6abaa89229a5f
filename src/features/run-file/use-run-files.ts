/**
 * The run files open on this page (at most MAX_OPEN_RUNS: two runs side by side), and the two ways in:
 * a file input, and a file dropped anywhere on the page. The reader (and its checks) loads the first
 * time a file is opened, not with the page.
 */
import { useCallback, useEffect, useState } from 'react';
import { localText, type LocalText } from '../../i18n/local-text.ts';
import type { RecordedRun } from './recorded-run.ts';

/** Files open at once; opening one more closes the oldest. */
export const MAX_OPEN_RUNS = 2;

export type OpenStatus =
  | { kind: 'idle' }
  | { kind: 'opened'; name: string }
  | { kind: 'refused'; name: string; reason: LocalText };

export interface RunFiles {
  runs: RecordedRun[];
  status: OpenStatus;
  /** Resolves with the run opened, or null when the file was refused (the status says why). */
  open(file: File): Promise<RecordedRun | null>;
  close(id: string): void;
  /** A file is being dragged over the page. */
  dragging: boolean;
}

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function useRunFiles(onOpened: (run: RecordedRun) => void): RunFiles {
  const [runs, setRuns] = useState<RecordedRun[]>([]);
  const [status, setStatus] = useState<OpenStatus>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);

  const open = useCallback(
    async (file: File): Promise<RecordedRun | null> => {
      const [{ readRunFile }, { recordedRun }] = await Promise.all([
        import('./run-file-read.ts'),
        import('./recorded-run.ts'),
      ]);
      const result = await readRunFile(file).catch((error: unknown) => ({
        ok: false as const,
        reason: localText('runFile.error.unreadable', { error: error instanceof Error ? error.message : String(error) }),
      }));
      if (!result.ok) {
        setStatus({ kind: 'refused', name: file.name, reason: result.reason });
        return null;
      }
      const run = recordedRun(file.name, result.file);
      setRuns((list) => [...list, run].slice(-MAX_OPEN_RUNS));
      setStatus({ kind: 'opened', name: file.name });
      onOpened(run);
      return run;
    },
    [onOpened],
  );

  const close = useCallback((id: string) => setRuns((list) => list.filter((run) => run.id !== id)), []);

  // Drag and drop onto the page: any file dragged over the window can be dropped anywhere.
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) void open(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [open]);

  return { runs, status, open, close, dragging };
}
