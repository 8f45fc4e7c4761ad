/** Helpers for the vitest suites (not part of the app bundle). */

/** A JSON answer as `fetch` gives it. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Let pending fetches, their JSON and the renders after them run (a few macrotask turns). */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r));
}
