/**
 * A clause variable in the terms: an inline atom `variable` with attr `name` (in the Y doc
 * `<variable name="customer.name"/>`; the server reads it back as the text `{{customer.name}}`).
 *
 * Declared by every editor of the terms, whatever the role, so that no editor drops such nodes
 * from its schema (which would write their removal back into the shared doc). The room's terms
 * editor gives it a view showing the current value (clauses/views.ts); elsewhere it renders as
 * `{{name}}`.
 */
import { Node, mergeAttributes } from "@tiptap/core";

export const Variable = Node.create({
  name: "variable",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,
  addAttributes() {
    return {
      name: {
        default: "",
        parseHTML: (el) => el.getAttribute("data-variable") ?? "",
        renderHTML: (a) => ({ "data-variable": String(a.name ?? "") }),
      },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-variable]" }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes, { class: "variable" }), `{{${String(node.attrs.name ?? "")}}}`];
  },
  renderText({ node }) {
    return `{{${String(node.attrs.name ?? "")}}}`;
  },
});
