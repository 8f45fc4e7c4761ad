/** The event the room page dispatches on the Guidance panel's frame when the shared doc changed (kept apart
 * from the panel so that the room chunk every customer downloads holds none of the panel's code). */
export const GUIDANCE_EVENT = "dealroom:guidance-refresh";
