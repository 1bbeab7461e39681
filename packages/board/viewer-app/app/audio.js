// @ts-check
/**
 * The Audio dashboard: a card per (tag, run) with a step slider and a playable `<audio>` per
 * sample of the chosen step, with its label rendered as Markdown.
 * @module
 */
import { dataUrl, getJson } from './api.js';
import { h } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { runTagDashboard, stepSlider } from './run-tag-dashboard.js';

/** @returns {import('./main.js').Dashboard} */
export function audioDashboard() {
  return runTagDashboard({
    plugin: 'audio',
    emptyText: 'No audio data for the selected runs.',
    makeCard(run, tag) {
      /** @type {any[]} */
      let items = [];
      /** @type {number[]} */
      let steps = [];
      const box = h('div', { class: 'media' });
      const show = (/** @type {number} */ i) => {
        box.replaceChildren(
          ...items
            .filter((x) => x.step === steps[i])
            .map((x) =>
              h(
                'figure',
                { class: 'clip' },
                h('audio', { controls: true, preload: 'metadata', src: `${dataUrl('plugin/audio/individualAudio')}?${x.query}&w=${x.wall_time}` }),
                x.label ? h('figcaption', {}, renderMarkdown(x.label)) : null,
              ),
            ),
        );
      };
      const slider = stepSlider(show);
      return {
        el: h('div', { class: 'audio-card' }, slider.el, box),
        async load() {
          items = await getJson('plugin/audio/audio', { run, tag });
          steps = [...new Set(items.map((x) => x.step))];
          show(slider.setSteps(steps));
        },
      };
    },
  });
}
