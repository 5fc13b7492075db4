import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** An xterm.js terminal in the app's look, opened in `element` and fitted to it (serial console and guest shells). */
export function openXterm(element: HTMLElement): { term: Terminal; fit: FitAddon } {
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, Menlo, "DejaVu Sans Mono", monospace',
    fontSize: 13,
    theme: { background: '#101216', foreground: '#e6e8ec' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  return { term, fit };
}
