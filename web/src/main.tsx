import '@mantine/core/styles.css';
import './console.css';
import {
  MantineProvider,
  createTheme,
  defaultVariantColorsResolver,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

/**
 * Text on light, outline and subtle variants in the darkest shade, and filled ones in shade 8 (or
 * dark text where that reads better): Mantine's defaults (shade 6) fall below WCAG AA contrast
 * on white, which the browser tier's axe check reports.
 */
const LIGHT_HUES = new Set(['yellow', 'orange', 'green', 'lime', 'teal', 'cyan']);

const readableVariants: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const named = typeof input.color === 'string' && /^[a-z]+$/.test(input.color) ? input.color : null;
  if (!named) return colors;
  if (['light', 'outline', 'subtle', 'transparent'].includes(input.variant ?? '')) {
    // Light hues are too light at any shade for text on their own tint: dark text there.
    const text = LIGHT_HUES.has(named) ? 'var(--mantine-color-dark-7)' : `var(--mantine-color-${named}-9)`;
    return {
      ...colors,
      color: text,
      border: input.variant === 'outline' ? `1px solid var(--mantine-color-${named}-9)` : colors.border,
    };
  }
  return colors;
};

/** Dimmed text dark enough for WCAG AA on white and on tinted rows (Mantine's gray-6 is 3.3:1). */
const readableDimmed: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  autoContrast: true,
  defaultRadius: 'sm',
  variantColorResolver: readableVariants,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={readableDimmed}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
