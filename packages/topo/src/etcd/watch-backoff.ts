/**
 * A capped exponential backoff for etcd3's watch reconnects (structurally a cockatiel IBackoff). The default
 * grows to 30 s; topo watchers should come back within a couple of seconds after etcd does.
 */
export class WatchBackoff {
  constructor(readonly duration = 100, private readonly maxMs = 2000) {}

  next(): WatchBackoff {
    return new WatchBackoff(Math.min(this.duration * 2, this.maxMs), this.maxMs);
  }
}
