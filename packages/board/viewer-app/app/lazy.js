// @ts-check
/**
 * Lazy loading of cards: a card's `load()` runs when it scrolls near the viewport, at most
 * `concurrency` at a time; a stale card (new data on the server) loads again when next seen.
 * @module
 */

/**
 * @typedef {object} LazyCard
 * @property {HTMLElement} el
 * @property {() => Promise<void>} load
 * @property {boolean} [visible]
 * @property {boolean} [stale]
 * @property {boolean} [loaded]
 * @property {boolean} [busy]
 */

export class LazyLoader {
  /** @param {number} [concurrency] */
  constructor(concurrency = 4) {
    this.concurrency = concurrency;
    /** @type {LazyCard[]} */
    this.queue = [];
    this.running = 0;
    /** @type {Map<Element, LazyCard>} */
    this.cards = new Map();
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const card = this.cards.get(e.target);
          if (!card) continue;
          card.visible = e.isIntersecting;
          if (card.visible && (!card.loaded || card.stale)) this.enqueue(card);
        }
      },
      { rootMargin: '300px 0px' },
    );
  }

  /** @param {LazyCard} card */
  add(card) {
    this.cards.set(card.el, card);
    this.observer.observe(card.el);
  }

  /** @param {LazyCard} card */
  remove(card) {
    this.cards.delete(card.el);
    this.observer.unobserve(card.el);
    this.queue = this.queue.filter((c) => c !== card);
  }

  /** Marks every card stale and reloads the visible ones now. */
  invalidate() {
    for (const card of this.cards.values()) {
      card.stale = true;
      if (card.visible) this.enqueue(card);
    }
  }

  /** @param {LazyCard} card */
  enqueue(card) {
    if (!this.queue.includes(card)) this.queue.push(card);
    this.pump();
  }

  pump() {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const card = /** @type {LazyCard} */ (this.queue.shift());
      if (card.busy || !this.cards.has(card.el)) continue;
      card.busy = true;
      card.stale = false;
      this.running++;
      card
        .load()
        .catch((e) => console.error(e))
        .finally(() => {
          card.busy = false;
          card.loaded = true;
          this.running--;
          if (card.stale && card.visible) this.queue.push(card);
          this.pump();
        });
    }
  }

  destroy() {
    this.observer.disconnect();
    this.cards.clear();
    this.queue = [];
  }
}
