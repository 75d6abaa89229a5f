import { useEffect, useRef, useState } from 'react';

/**
 * `value`, at most once every `ms` (its newest version when the wait ends); every change at once while
 * `immediate`. The claims evidence reads the run's snapshot through this: it needs no 15 Hz redraw.
 */
export function useThrottled<T>(value: T, ms: number, immediate: boolean): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const lastAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    latest.current = value;
    const flush = () => {
      timer.current = null;
      lastAt.current = performance.now();
      setShown(latest.current);
    };
    if (immediate) {
      if (timer.current !== null) clearTimeout(timer.current);
      flush();
      return;
    }
    if (timer.current !== null) return;
    timer.current = setTimeout(flush, Math.max(0, lastAt.current + ms - performance.now()));
  }, [value, ms, immediate]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  return immediate ? value : shown;
}
