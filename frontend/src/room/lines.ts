/**
 * The pricing lines of the shared doc: a Y.Array of Y.Maps
 * {id, sku, qty, discountPct, locked, note} (DESIGN.md, "Documents of a room").
 * Each operation is one transaction, i.e. one update on the wire.
 */
import * as Y from "yjs";
import type { LineField } from "./permissions";

export interface LineData {
  id: string;
  sku: string;
  qty: number;
  discountPct: number;
  locked: boolean;
  note: string;
}

export type LineMap = Y.Map<unknown>;
export type Lines = Y.Array<LineMap>;

/** Marks the app's own writes (y-websocket sends every update that is not its own). */
export const LOCAL_ORIGIN = Symbol("dealroom-local");

export function newId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; a plain-http deployment still needs unique ids.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : Number(value) || 0;
}

export function readLine(line: LineMap): LineData {
  return {
    id: String(line.get("id") ?? ""),
    sku: String(line.get("sku") ?? ""),
    qty: num(line.get("qty")),
    discountPct: num(line.get("discountPct")),
    locked: line.get("locked") === true,
    note: String(line.get("note") ?? ""),
  };
}

export function readLines(lines: Lines): LineData[] {
  return lines.toArray().map(readLine);
}

export function indexOfLine(lines: Lines, id: string): number {
  const items = lines.toArray();
  for (let i = 0; i < items.length; i++) if (items[i].get("id") === id) return i;
  return -1;
}

export function getLine(lines: Lines, id: string): LineMap | undefined {
  const i = indexOfLine(lines, id);
  return i < 0 ? undefined : lines.get(i);
}

function transact(lines: Lines, fn: () => void): void {
  if (lines.doc) lines.doc.transact(fn, LOCAL_ORIGIN);
  else fn();
}

/** Append a line; returns its id. */
export function addLine(lines: Lines, init: { sku: string; qty: number; discountPct?: number; note?: string }, id = newId()): string {
  const line: LineMap = new Y.Map<unknown>([
    ["id", id],
    ["sku", init.sku],
    ["qty", init.qty],
    ["discountPct", init.discountPct ?? 0],
    ["locked", false],
    ["note", init.note ?? ""],
  ]);
  transact(lines, () => lines.push([line]));
  return id;
}

export function removeLine(lines: Lines, id: string): boolean {
  const i = indexOfLine(lines, id);
  if (i < 0) return false;
  transact(lines, () => lines.delete(i, 1));
  return true;
}

/**
 * Move a line up (-1) or down (+1). A Y.Array cannot move an item: the line is deleted and a copy
 * with the same id is inserted at the new place, in one transaction.
 */
export function moveLine(lines: Lines, id: string, delta: -1 | 1): boolean {
  const from = indexOfLine(lines, id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= lines.length) return false;
  transact(lines, () => {
    const copy = new Y.Map<unknown>(Array.from(lines.get(from).entries()));
    lines.delete(from, 1);
    lines.insert(to, [copy]);
  });
  return true;
}

/** Set one field; a value equal to the stored one writes nothing. */
export function setLineField(lines: Lines, id: string, field: LineField, value: string | number): boolean {
  const line = getLine(lines, id);
  if (!line || Object.is(line.get(field), value)) return false;
  transact(lines, () => line.set(field, value));
  return true;
}

export function setLocked(lines: Lines, id: string, locked: boolean): boolean {
  const line = getLine(lines, id);
  if (!line || (line.get("locked") === true) === locked) return false;
  transact(lines, () => line.set("locked", locked));
  return true;
}
