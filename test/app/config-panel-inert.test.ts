// The settings form says which grouping is in use and, next to each setting that has no effect
// under the others, why (data-testid inert-<config path>), rendered to static HTML in Node.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConfigPanel } from '../../app/controls/ConfigPanel';
import { preset, type TrainConfig } from '../../src/rl/config.js';

const render = (config: TrainConfig) =>
  renderToStaticMarkup(createElement(ConfigPanel, { config, onChange: () => {}, errors: [] }));
const ids = (html: string) => [...html.matchAll(/data-testid="(inert-[^"]+)"/g)].map((m) => m[1]);

describe('ConfigPanel inert notes', () => {
  it('shows the grouping in use and only the static pair set as inert at the defaults', () => {
    const html = render(preset('gcrl'));
    expect(html).toMatch(/data-testid="grouping-in-use" data-grouping="mixed">Grouping: mixed/);
    expect(ids(html)).toEqual(['inert-critique.staticResponses']);
  });

  it('per-prompt: the reward table and Eq. 3 say they are cancelled', () => {
    const c = preset('gcrl');
    c.grpo.grouping = 'per-prompt';
    c.critique.input = 'randomReweight';
    const html = render(c);
    expect(html).toMatch(/data-grouping="per-prompt">Grouping: per prompt/);
    expect(ids(html)).toEqual([
      'inert-critique.input',
      'inert-critique.cacheCapacity',
      'inert-critique.staticResponses',
      'inert-critique.reward',
    ]);
    expect(html).toMatch(
      /data-testid="inert-critique.input"[^>]*><strong>No effect<\/strong>: Per-prompt GRPO/,
    );
    // every reward cell shares the reason: said once under the legend, the badge carries it as its title
    expect(html).toMatch(/<p class="cfg-note">Per-prompt GRPO: .*exactly as Eq\. 2/);
    expect(html).toMatch(
      /data-testid="inert-critique.reward" title="Per-prompt GRPO[^"]*"><strong>No effect<\/strong><\/p>/,
    );
  });

  it('G-RL: the critic group shares one reason, said once under its legend', () => {
    const html = render(preset('grl'));
    const critic = html.slice(
      html.indexOf('data-testid="cfg-group-critic"'),
      html.indexOf('data-testid="cfg-group-reward"'),
    );
    expect(critic.match(/G-RL trains responses only/g)?.length).toBe(1 + 6); // legend note + 6 titles
    expect(critic).toMatch(/<p class="cfg-note">G-RL trains responses only/);
    expect(ids(critic)).toHaveLength(6);
    expect(ids(html)).toContain('inert-critique.reward');
  });
});
