// A large connectivity download is formatted in a render thread (issue 13): a 10k-pod table's np-guard text is
// 0.2–0.4 s of CPU, and formatted on the event loop, even in slices, it made every other request take turns with it
// (a cheap query's p99 130–180 ms while three such downloads ran; 48–64 ms with the formatting gone). The thread runs
// the same formatter (`connlistChunks` over `tableRows`), so the bytes are the same, and sends them as it goes over
// a MessagePort: UTF-8 chunks moved, not copied, at most CONNLIST_WINDOW ahead of what the client has taken, so a
// slow client holds a few chunks in memory, not the whole text; a client that leaves stops the formatting.
import { connlistChunks, type ConnlistFormat } from '@netpol-atlas/engine';
import type { ServerResponse } from 'node:http';
import type { MessagePort } from 'node:worker_threads';
import { tableRows, type ConnectivityTable } from '../analysis/connectivity-table.js';

/** Chunks sent and not yet taken by the client, at most. */
export const CONNLIST_WINDOW = 4;
/** Characters per chunk (about as many bytes: the text is mostly ASCII). */
export const CONNLIST_CHUNK_CHARS = 1 << 18;

/** The event loop's answers to the thread. */
type Reply = 'more' | 'stop';
/** The thread's messages: a chunk of the text, or its end. */
type Sent = Uint8Array | { readonly end: true };

export interface ConnlistStreamed {
  readonly chunks: number;
  /** The client left (or the port closed) before the end. */
  readonly stopped: boolean;
}

/** Thread side: formats `table` and sends it through `port`, waiting for 'more' past the window. */
export async function streamConnlist(table: ConnectivityTable, format: ConnlistFormat, port: MessagePort, chunkChars = CONNLIST_CHUNK_CHARS): Promise<ConnlistStreamed> {
  let credit = CONNLIST_WINDOW;
  let stopped = false;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  port.on('message', (reply: Reply) => {
    if (reply === 'more') credit++;
    else stopped = true;
    wakeUp();
  });
  port.on('close', () => {
    stopped = true;
    wakeUp();
  });
  const encoder = new TextEncoder();
  let chunks = 0;
  const send = async (text: string): Promise<boolean> => {
    while (credit === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
    if (stopped) return false;
    credit--;
    chunks++;
    // encode() gives the chunk an ArrayBuffer of its own: moved to the event loop, not copied.
    const bytes = encoder.encode(text);
    port.postMessage(bytes satisfies Sent, [bytes.buffer]);
    return true;
  };
  let text = '';
  for (const chunk of connlistChunks(tableRows(table), format, undefined, table.showsIcmp)) {
    text += chunk;
    if (text.length < chunkChars) continue;
    if (!(await send(text))) break;
    text = '';
  }
  // The event loop closes the channel once it has the end (a close from here could overtake the last messages).
  if (!stopped && (text === '' || (await send(text)))) port.postMessage({ end: true } satisfies Sent);
  return { chunks, stopped };
}

/**
 * Event-loop side: writes what the thread sends to `res` (calling `begin` before the first byte, so a task refused
 * before it starts can still be answered with an error), answering 'more' as the client takes each chunk. Resolves
 * at the end of the text or when the client leaves, with undefined; with the thread's error when it failed after the
 * first byte (the response is then cut, never completed with a wrong end); rejects with it when nothing was sent.
 */
export function pipeConnlist(port: MessagePort, res: ServerResponse, begin: () => void, task: Promise<ConnlistStreamed>): Promise<Error | undefined> {
  return new Promise<Error | undefined>((resolve, reject) => {
    let begun = false;
    let finished = false;
    let held = 0;
    const release = () => {
      for (; held > 0; held--) if (!finished) port.postMessage('more' satisfies Reply);
    };
    const finish = (error?: unknown, cut?: Error) => {
      if (finished) return;
      finished = true;
      res.off('close', onClose);
      res.off('drain', release);
      port.close();
      if (error === undefined) resolve(cut);
      else reject(error);
    };
    const onClose = () => {
      if (finished) return;
      port.postMessage('stop' satisfies Reply);
      finish();
    };
    res.on('close', onClose);
    port.on('message', (message: Sent) => {
      if (finished) return;
      if (!begun) {
        begun = true;
        begin();
      }
      if (!(message instanceof Uint8Array)) {
        res.end();
        finish();
        return;
      }
      if (res.write(message)) port.postMessage('more' satisfies Reply);
      else {
        // 'drain': everything written so far has gone out, so every chunk held back is taken.
        held++;
        if (held === 1) res.once('drain', release);
      }
    });
    task.catch((error: unknown) => {
      if (finished) return;
      if (!begun) return finish(error); // nothing sent: the caller answers with the error (e.g. 503, pool full)
      // Bytes already sent: the client sees a cut answer, never a wrong one.
      const cut = error instanceof Error ? error : new Error(String(error));
      res.destroy(cut);
      finish(undefined, cut);
    });
  });
}
