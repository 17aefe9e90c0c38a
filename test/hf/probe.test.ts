// The critic probe: templates and verdict parsing, the balanced set, and on the exported `weak`
// model the probe's verdicts equal the engine's own greedy critiques item for item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import { loadHfModel } from '../../src/hf/node-fs.js';
import {
  parseTemplate,
  parseVerdict,
  probeSet,
  renderPrompt,
  runProbe,
  TEMPLATES,
  templateProblems,
} from '../../src/hf/probe.js';
import type { HfTextModel } from '../../src/hf/tjs.js';
import { critiquePrompt, parseCritique } from '../../src/lm/formats.js';
import { decode, encode, VOCAB } from '../../src/lm/tokenizer.js';
import { checkpointTask, policyFromCheckpoint } from '../../src/model/io.js';
import { type Exported, exportWeak } from './helpers.js';

const item = {
  question: { family: 'add' as const, a: 37, b: 85, text: '37+85=', answer: 122, width: 3 },
  response: '231',
  correct: false,
};

describe('templates and verdicts', () => {
  it('renders every field', () => {
    expect(renderPrompt('{question}|{response}|{a}|{op}|{b}|{expression}|{answer}', item)).toBe(
      '37+85=|231|37|+|85|37 + 85|132',
    );
    expect(renderPrompt(TEMPLATES.gcrl?.prompt ?? '', item)).toBe(critiquePrompt(item.question, '231'));
  });

  it('takes the earliest verdict; none when neither pattern matches', () => {
    const yn = TEMPLATES['yes-no'] as NonNullable<(typeof TEMPLATES)['yes-no']>;
    expect(parseVerdict(yn, ' Yes, it is.')).toBe('correct');
    expect(parseVerdict(yn, ' No. (yes would be wrong)')).toBe('wrong');
    expect(parseVerdict(yn, ' The answer is incorrect')).toBe('wrong');
    expect(parseVerdict(yn, ' maybe')).toBe('none');
    expect(parseVerdict({ ok: '<ok>', bad: '<bad>' }, '221=-=<bad><eos>')).toBe('wrong');
  });

  it('lists every problem with a template', () => {
    expect(templateProblems({ prompt: 'x {nope}', ok: '(', bad: '', maxNewTokens: 0 })).toEqual([
      expect.stringMatching(/unknown field \{nope\}/),
      expect.stringMatching(/ok is not a valid regular expression/),
      'bad must be a non-empty regular expression',
      'maxNewTokens must be an integer in [1, 256] (got 0)',
    ]);
    expect(() => parseTemplate('{"prompt": 1}')).toThrow(/invalid template: prompt must be/);
    expect(parseTemplate(JSON.stringify(TEMPLATES['yes-no']))).toEqual(TEMPLATES['yes-no']);
  });

  it('builds a balanced set: one correct, one wrong response per held-out question', () => {
    const items = probeSet({ family: 'add', digits: 2, heldOutSize: 256, splitSeed: 1234, seed: 0 });
    expect(items).toHaveLength(512);
    expect(items.filter((i) => i.correct)).toHaveLength(256);
    for (const it of items) {
      const right = [...String(it.question.answer).padStart(it.question.width, '0')].reverse().join('');
      expect(it.response === right).toBe(it.correct);
    }
    expect(
      probeSet({ family: 'sub', digits: 3, heldOutSize: 40, splitSeed: 1, seed: 2, limit: 5 }),
    ).toHaveLength(10);
  });
});

describe('probe on the exported weak model', () => {
  let ex: Exported;
  let hf: HfTextModel;
  beforeAll(async () => {
    ex = await exportWeak();
    hf = await loadHfModel(ex.dir);
  });
  afterAll(async () => {
    await hf?.dispose();
    await ex?.cleanup();
  });

  it("gives the engine's own greedy verdicts item for item, and Appendix C's prediction", async () => {
    const task = checkpointTask(ex.ck);
    const items = probeSet({ ...task, seed: 0, limit: 48 });
    const tpl = TEMPLATES.gcrl as NonNullable<(typeof TEMPLATES)['gcrl']>;
    const [report, metrics] = await runProbe(
      async (prompt, n) => (await hf.generate(prompt, { maxNewTokens: n })).text,
      items,
      tpl,
      0.1,
    );
    const rt = await Runtime.create('node-cpu');
    const policy = policyFromCheckpoint(rt, ex.ck);
    const gens = await policy.generate(
      items.map((i) => encode(critiquePrompt(i.question, i.response))),
      { eos: VOCAB.EOS, pad: VOCAB.PAD, maxNew: tpl.maxNewTokens, temperature: 0 },
    );
    const texts = gens.map((g) => decode(g.tokens));
    policy.dispose();
    expect(report.samples.map((s) => s.verdict)).toEqual(texts.map((t) => parseCritique(t).verdict));
    const c = report.stats.confusion;
    expect(c.tp + c.fn + c.noneOnCorrect).toBe(48);
    expect(metrics['probe/alpha']).toBeCloseTo(c.tp / 48, 10);
    expect(metrics['probe/beta']).toBeCloseTo(c.tn / 48, 10);
    expect(metrics['probe/pred/unweighted']).toBeCloseTo(
      0.7 * (0.1 * report.stats.alpha + 0.9 * report.stats.beta),
      10,
    );
    expect(metrics['probe/pred/pull']).toBeCloseTo(-0.4, 10);
  });
});
