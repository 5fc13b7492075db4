import { useRef } from 'react';
import type { KeyboardEvent } from 'react';

export interface SegmentOption<V extends string> {
  value: V;
  label: string;
  disabled?: boolean;
}

/**
 * A radio group drawn as segments. Keyboard use as WAI-ARIA's radio group: one tab stop (the
 * checked option), arrow keys move and select, Home/End jump to the ends.
 */
export function SegmentedControl<V extends string>(props: {
  options: readonly SegmentOption<V>[];
  value: V;
  onChange(value: V): void;
  /** Accessible name, or the id of a visible label. */
  label?: string;
  labelledBy?: string;
}) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const enabled = props.options.map((o, i) => (o.disabled ? -1 : i)).filter((i) => i >= 0);

  function onKeyDown(event: KeyboardEvent, index: number) {
    const at = enabled.indexOf(index);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    let next: number | undefined;
    if (step !== undefined) next = enabled[(at + step + enabled.length) % enabled.length];
    else if (event.key === 'Home') next = enabled[0];
    else if (event.key === 'End') next = enabled.at(-1);
    if (next === undefined) return;
    event.preventDefault();
    props.onChange(props.options[next]!.value);
    buttons.current[next]?.focus();
  }

  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} aria-labelledby={props.labelledBy}>
      {props.options.map((option, index) => {
        const checked = option.value === props.value;
        return (
          <button
            key={option.value}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            disabled={option.disabled}
            tabIndex={checked ? 0 : -1}
            onClick={() => props.onChange(option.value)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
