import { useEffect, useState } from 'react';

/**
 * Canvas charts need real colours, and the theme's are `light-dark(…)` custom properties: an
 * element styled with the variable is asked for its computed colour. Re-read when the theme
 * changes (the OS scheme, or the app's own setting on the root element).
 */
export function resolveColor(cssColor: string, within: Element = document.body): string {
  const probe = document.createElement('span');
  probe.style.color = cssColor;
  probe.style.display = 'none';
  within.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || cssColor;
}

/** `rgb(r, g, b)` with an alpha, for fills under a line. */
export function withAlpha(rgb: string, alpha: number): string {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(rgb);
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : rgb;
}

/** A number that changes whenever the colours may have changed. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    return () => {
      media?.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return version;
}
