/**
 * Customers edit the words of clauses, never which library clauses the terms hold: the server refuses an
 * update that inserts, removes or re-pins a clause block for a customer (workspace/sync/guard.py), so the
 * customer's editor does not make one in the first place. Remote changes (the rep's) always pass.
 */
import { Extension } from "@tiptap/core";
import { isChangeOrigin } from "@tiptap/extension-collaboration";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";

/** Each clause block's "clauseId@version", counted (versions as text: "1" and 1 are the same pin). */
export function clausePins(doc: PMNode): Map<string, number> {
  const pins = new Map<string, number>();
  doc.descendants((node) => {
    if (node.type.name !== "clause") return true;
    const pin = `${String(node.attrs.clauseId)}@${String(node.attrs.version)}`;
    pins.set(pin, (pins.get(pin) ?? 0) + 1);
    return false;
  });
  return pins;
}

function samePins(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [pin, count] of a) if (b.get(pin) !== count) return false;
  return true;
}

export const KeepClausePins = Extension.create({
  name: "keepClausePins",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("keepClausePins"),
        filterTransaction: (tr, state) => !tr.docChanged || isChangeOrigin(tr) || samePins(clausePins(state.doc), clausePins(tr.doc)),
      }),
    ];
  },
});
