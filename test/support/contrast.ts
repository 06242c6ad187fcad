import type { Locator } from 'playwright-core';

/** WCAG 2 contrast ratio of two CSS colours as a browser computes them ("rgb(31, 111, 235)"). */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const c = Number(part) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Minimal view of the page's DOM for code run inside it (no DOM lib in this project). */
interface Painted {
  parentElement: Painted | null;
}
interface PageStyles {
  getComputedStyle(element: Painted): { color: string; backgroundColor: string; visibility: string; opacity: string };
}

/**
 * The text colour of an element and the colour it is drawn on: the first opaque background
 * up its ancestors, as the browser computed them.
 */
export function paintedColours(locator: Locator): Promise<{ color: string; background: string; visible: boolean }> {
  return locator.evaluate((element) => {
    const { getComputedStyle } = globalThis as unknown as PageStyles;
    const start = element as unknown as Painted;
    const own = getComputedStyle(start);
    let background = 'rgb(255, 255, 255)';
    for (let at: Painted | null = start; at; at = at.parentElement) {
      const fill = getComputedStyle(at).backgroundColor;
      if (fill && fill !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(fill)) {
        background = fill;
        break;
      }
    }
    return { color: own.color, background, visible: own.visibility === 'visible' && own.opacity !== '0' };
  });
}
