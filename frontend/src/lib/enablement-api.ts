/** The enablement cards' HTTP API (API.md, "Enablement"): internal people only; the server refuses customers. */
import { request } from "./api";

export type CardKind = "positioning" | "objection" | "price_defense" | "clause_fallback";
export type CardTrigger = "new_product" | "discount_threshold" | "competitor" | "clause_dispute";

export interface CardTags {
  products: string[];
  stages: string[];
  deal_size: { min: number | null; max: number | null };
  competitors: string[];
  clauses: string[];
}

/** What an editor sends (`POST`, and `PUT` with the version it started from). */
export interface CardInput {
  title: string;
  body: string;
  kind: CardKind;
  tags: CardTags;
  triggers: CardTrigger[];
}

export interface EnablementCard extends CardInput {
  id: number;
  version: number;
  updated_at: string;
  retired: boolean;
}

/** A card a room triggers now, with why. */
export interface RoomCard {
  id: number;
  title: string;
  body: string;
  kind: CardKind;
  triggers: CardTrigger[];
  why: string[];
  helpful: boolean;
}

export interface CardUsage {
  card_id: number;
  title: string;
  kind: CardKind;
  retired: boolean;
  shown: number;
  people: number;
  rooms: number;
  helpful: number;
}

export const enablementApi = {
  roomCards: (roomId: string) =>
    request<{ room_id: string; stage: string; cards: RoomCard[] }>("GET", `/api/rooms/${encodeURIComponent(roomId)}/cards`),
  helpful: (cardId: number, roomId: string) => request<{ helpful: boolean }>("POST", `/api/enablement/cards/${cardId}/helpful`, { room_id: roomId }),
  list: () => request<{ cards: EnablementCard[] }>("GET", "/api/enablement/cards"),
  create: (card: CardInput) => request<EnablementCard>("POST", "/api/enablement/cards", card),
  update: (id: number, card: CardInput & { version: number; retired?: boolean }) => request<EnablementCard>("PUT", `/api/enablement/cards/${id}`, card),
  usage: () => request<{ usage: CardUsage[] }>("GET", "/api/enablement/usage"),
};
