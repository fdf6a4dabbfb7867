// Contents cross to the worker threads by transfer when they can: a 10–60 MB Buffer cloned is copied twice (serialised
// on the event loop, deserialised in the thread); moved, it is not copied at all.

/** The ArrayBuffer to move with `bytes` (the caller must not read `bytes` afterwards), or undefined when `bytes`
 *  shares its memory (Node's pool of small Buffers, a slice of a larger one), which must be copied as before. */
export function movableMemory(bytes: Uint8Array): ArrayBuffer | undefined {
  const memory = bytes.buffer;
  return memory instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === memory.byteLength ? memory : undefined;
}
