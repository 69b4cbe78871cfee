// ByteLru: the byte-bounded LRU under the record cache and the IPFS block and directory caches.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ByteLru } from "../../ipfs/byteLru.ts";

/** An LRU of strings whose size is their length. */
const lru = (maxBytes: number) => new ByteLru<string>(maxBytes, (_key, value) => value.length);
const keys = (cache: ByteLru<string>, candidates: string[]) =>
  candidates.filter((key) => cache.has(key));

describe("ByteLru", () => {
  it("evicts the least recently used entries past the byte budget", () => {
    const cache = lru(10);
    cache.set("a", "aaa");
    cache.set("b", "bbb");
    cache.set("c", "ccc");
    assert.equal(cache.bytes, 9);
    assert.equal(cache.get("a"), "aaa"); // a is now the most recent: b is the oldest
    cache.set("d", "dd");
    assert.deepEqual(keys(cache, ["a", "b", "c", "d"]), ["a", "c", "d"]);
    assert.equal(cache.bytes, 8);
  });

  it("keeps the order right when the most recent key is hit again and again", () => {
    const cache = lru(9);
    cache.set("a", "aaa");
    cache.set("b", "bbb");
    cache.get("b");
    cache.get("b");
    cache.get("a");
    cache.get("a"); // a, then b: order b (oldest), a
    cache.set("c", "ccc");
    cache.set("d", "ddd"); // over budget: b goes first
    assert.deepEqual(keys(cache, ["a", "b", "c", "d"]), ["a", "c", "d"]);
    cache.delete("d"); // the newest deleted: a hit on another key must still move it
    cache.get("a");
    cache.set("e", "eee");
    cache.set("f", "fff"); // c is the oldest now
    assert.deepEqual(keys(cache, ["a", "c", "e", "f"]), ["a", "e", "f"]);
  });

  it("replaces a key's value and counts only the new size", () => {
    const cache = lru(10);
    cache.set("a", "aaaa");
    cache.set("a", "aa");
    assert.equal(cache.bytes, 2);
    assert.equal(cache.size, 1);
    assert.equal(cache.get("a"), "aa");
  });

  it("does not keep a value larger than the whole budget", () => {
    const cache = lru(4);
    cache.set("a", "aa");
    cache.set("big", "bbbbb");
    assert.equal(cache.get("big"), undefined);
    assert.equal(cache.get("a"), "aa");
    assert.equal(cache.bytes, 2);
  });
});
