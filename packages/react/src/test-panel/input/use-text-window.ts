'use client';

import { type RefObject, useRef, useState } from 'react';
import { textWindowModule, useLazyModule } from '../lazy-parts';
import type { WindowController, WindowLayout } from './window-controller';

/**
 * The JSON view's window on large text (window-controller.ts, a lazy chunk): `control` once the
 * chunk is here, `windowed` while the text is large and the textarea holds only a window of it.
 */
export function useTextWindow(
  textarea: RefObject<HTMLTextAreaElement | null>,
  box: RefObject<HTMLDivElement | null>,
  large: boolean,
): { control: WindowController | undefined; windowed: boolean; layout: WindowLayout | undefined } {
  const loaded = useLazyModule(textWindowModule, large);
  const [layout, setLayout] = useState<WindowLayout | undefined>(undefined);
  const control = useRef<WindowController | undefined>(undefined);
  if (typeof loaded === 'object')
    control.current ??= loaded.createWindowController(
      {
        get current() {
          return { textarea: textarea.current, box: box.current };
        },
      },
      setLayout,
    );
  const windowed = large && control.current !== undefined;
  return { control: control.current, windowed, layout: windowed ? layout : undefined };
}
