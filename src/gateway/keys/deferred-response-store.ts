/** A ResponseStore whose store is opened on first use (the gateway's store opens asynchronously). */
import type { ResponseStore } from "../../store/index.js";

export class DeferredResponseStore<T> implements ResponseStore<T> {
  private store: Promise<ResponseStore<unknown>> | undefined;

  constructor(private readonly open: () => Promise<ResponseStore<unknown>>) {}

  private get target(): Promise<ResponseStore<unknown>> {
    this.store ??= this.open();
    return this.store;
  }

  async get(id: string): Promise<T | undefined> {
    return (await (await this.target).get(id)) as T | undefined;
  }

  async put(id: string, value: T, ttlSeconds: number): Promise<void> {
    await (await this.target).put(id, value, ttlSeconds);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.target).delete(id);
  }
}
