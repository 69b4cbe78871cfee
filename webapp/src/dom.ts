// Small DOM helpers: every control is a real <button>, <input> or <select> with a <label>.

type Attributes = Record<string, string | boolean | undefined>;

/** Creates an element with attributes and children (strings become text, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

/** A labelled input; returns the label (to place) and the input (to read). */
export function field(
  label: string,
  attributes: Attributes & { id: string },
): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = h("input", { type: "text", ...attributes });
  return { label: h("label", { for: attributes.id }, label, input), input };
}

/** A status line read out by screen readers when it changes. */
export function statusLine(id: string): HTMLParagraphElement {
  return h("p", { id, role: "status", "aria-live": "polite" });
}
