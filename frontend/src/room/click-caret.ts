/**
 * A click puts the caret where it was clicked, even when the other person's typing or caret
 * redraws the paragraph during the press.
 *
 * ProseMirror leaves a plain click to the browser and reads the native selection afterwards. When
 * a remote edit or a remote caret (a decoration) redraws that paragraph between mousedown and the
 * browser's `selectionchange`, ProseMirror writes its old selection back into the DOM first, and the
 * click is lost: an editor that had no selection yet then types at the start of the document. This
 * is the race two people typing in one paragraph hit all the time. ProseMirror already places the
 * caret itself when it had to flush the DOM on mousedown; this does the same for every plain click
 * on text, from the position under the pointer at mouseup.
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";

export const ClickPlacesCaret = Extension.create({
  name: "clickPlacesCaret",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("clickPlacesCaret"),
        props: {
          handleClick(view, pos, event) {
            if (event.button !== 0 || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || !view.editable) return false;
            // A click on an atom (a variable chip) selects it: ProseMirror's own handling.
            const under = view.posAtCoords({ left: event.clientX, top: event.clientY });
            if (under && under.inside >= 0 && view.state.doc.nodeAt(under.inside)?.isAtom) return false;
            if (!view.state.doc.resolve(pos).parent.inlineContent) return false;
            const { selection } = view.state;
            if (selection.empty && selection.from === pos) return false;
            view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos)).setMeta("pointer", true));
            return true;
          },
        },
      }),
    ];
  },
});
