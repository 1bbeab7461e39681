// @ts-check
/**
 * The Images dashboard: a card per (tag, run) with a step slider; every sample of the chosen
 * step is shown (GIFs from add_video animate). Small images are scaled up without smoothing.
 * @module
 */
import { dataUrl, getJson } from './api.js';
import { h } from './dom.js';
import { runTagDashboard, stepSlider } from './run-tag-dashboard.js';

/** @returns {import('./main.js').Dashboard} */
export function imagesDashboard() {
  return runTagDashboard({
    plugin: 'images',
    emptyText: 'No image data for the selected runs.',
    makeCard(run, tag) {
      /** @type {any[]} */
      let items = [];
      /** @type {number[]} */
      let steps = [];
      const box = h('div', { class: 'media' });
      const show = (/** @type {number} */ i) => {
        const step = steps[i];
        box.replaceChildren(
          ...items
            .filter((x) => x.step === step)
            .map((x) => {
              const img = /** @type {HTMLImageElement} */ (h('img', { src: `${dataUrl('plugin/images/individualImage')}?${x.query}&w=${x.wall_time}`, alt: `${tag} at step ${x.step}`, title: `step ${x.step}, ${x.width}×${x.height}` }));
              img.addEventListener('load', () => {
                if (img.naturalWidth > 0 && img.naturalWidth < 128) {
                  img.style.width = `${img.naturalWidth * Math.floor(128 / img.naturalWidth)}px`;
                  img.classList.add('pixelated');
                }
              });
              return img;
            }),
        );
      };
      const slider = stepSlider(show);
      const el = h('div', { class: 'image-card' }, slider.el, box);
      return {
        el,
        async load() {
          items = await getJson('plugin/images/images', { run, tag });
          steps = [...new Set(items.map((x) => x.step))];
          show(slider.setSteps(steps));
        },
      };
    },
  });
}
