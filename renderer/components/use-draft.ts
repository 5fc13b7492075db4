import { useCallback, useEffect, useRef, useState } from 'react';

export interface Draft<T> {
  value: T;
  /** The user has changed something since the draft was last taken from its source. */
  dirty: boolean;
  set<K extends keyof T>(field: K, value: T[K]): void;
  /** Takes the source's current value again, dropping edits (after a save, or on Cancel). */
  reset(): void;
}

/**
 * A form's working copy of `source`. While the user has not touched it, it follows the source
 * (e.g. settings changed in another window); once edited, an update of the source no longer
 * throws the edits away (clicking a theme used to reset the URL fields being typed).
 */
export function useDraft<T extends object>(source: T): Draft<T> {
  const [value, setValue] = useState<T>(source);
  const [dirty, setDirty] = useState(false);
  const dirtyRef = useRef(false);
  const sourceRef = useRef(source);
  sourceRef.current = source;

  useEffect(() => {
    if (!dirtyRef.current) setValue(source);
  }, [source]);

  const set = useCallback(<K extends keyof T>(field: K, next: T[K]) => {
    dirtyRef.current = true;
    setDirty(true);
    setValue((current) => ({ ...current, [field]: next }));
  }, []);
  const reset = useCallback(() => {
    dirtyRef.current = false;
    setDirty(false);
    setValue(sourceRef.current);
  }, []);
  return { value, dirty, set, reset };
}
