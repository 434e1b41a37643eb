/**
 * Server-sent events as OpenAI streams them: `data: <json>\n\n` per chunk, `data: [DONE]\n\n` at the end.
 * Headers go out with the first event, so an error before any output still gets a proper status code.
 *
 * Events written in the same tick leave in one socket write: the response is corked at the first write and
 * uncorked on the next tick. Bedrock's events arrive in batches (several per HTTP/2 data frame), and one write
 * per event cost a syscall each (the largest item of the streaming profile).
 */
import { once } from "node:events";
import type { ServerResponse } from "node:http";

export class SseWriter {
  private started = false;
  private corked = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly signal: AbortSignal,
  ) {}

  get headersSent(): boolean {
    return this.started;
  }

  async send(data: unknown): Promise<void> {
    await this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  async done(): Promise<void> {
    await this.write("data: [DONE]\n\n");
    this.res.end();
  }

  private async write(frame: string): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      });
    }
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(this.uncork);
    }
    // Respect backpressure: a slow client must not make the gateway buffer a whole reply in memory. (The
    // scheduled uncork flushes what is corked, so "drain" still comes.)
    if (!this.res.write(frame)) await once(this.res, "drain", { signal: this.signal });
  }

  private readonly uncork = (): void => {
    this.corked = false;
    // end() has already flushed everything corked; uncorking after it could touch the next response's socket.
    if (!this.res.writableEnded) this.res.uncork();
  };
}
