// Whether the glossary overlay is open and where it is scrolled to: the screen's own state, kept
// apart from the wizard's, so that opening it never changes what the wizard is doing. Pure.

export interface GlossaryView {
  open: boolean;
  /** Index of the first entry shown. */
  top: number;
}

export type GlossaryViewEvent =
  | { type: 'toggle' }
  | { type: 'close' }
  /** Scroll by entries, within the `entries` the overlay lists. */
  | { type: 'scroll'; by: number; entries: number };

export const GLOSSARY_CLOSED: GlossaryView = { open: false, top: 0 };

/** Entries a page key moves by. */
export const GLOSSARY_PAGE = 5;

export function reduceGlossaryView(view: GlossaryView, event: GlossaryViewEvent): GlossaryView {
  switch (event.type) {
    case 'toggle':
      // Opened again, it starts at the top: the current step's terms.
      return view.open ? GLOSSARY_CLOSED : { open: true, top: 0 };
    case 'close':
      return GLOSSARY_CLOSED;
    case 'scroll': {
      if (!view.open) return view;
      const top = Math.max(0, Math.min(event.entries - 1, view.top + event.by));
      return top === view.top ? view : { ...view, top };
    }
  }
}
