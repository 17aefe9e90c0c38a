// The tail every fused training graph shares: gradients of the loss w.r.t. all parameters, global
// grad-norm clipping and AdamW, with moments as inputs `m.*`/`v.*` and results as outputs `new.*`.
import { gradients } from '../engine/autodiff.js';
import type { Graph, Value } from '../engine/graph.js';
import { type AdamWConfig, adamw } from '../engine/optim.js';
import type { ParamSpec } from './params.js';

/**
 * Declares inputs `lr`, `step` (1-based) and the moments, appends backward + AdamW for `loss`, and
 * outputs `loss`, `grad_norm` and `new.<name>`, `new.m.<name>`, `new.v.<name>`. Returns the
 * feedback map (output -> the input it replaces next step) for ResidentState.step.
 */
export function appendAdamWStep(
  g: Graph,
  specs: readonly ParamSpec[],
  params: Readonly<Record<string, Value>>,
  loss: Value,
  opt: AdamWConfig,
): Record<string, string> {
  const dtype = loss.dtype;
  const lr = g.input('lr', dtype, []);
  const step = g.input('step', dtype, []);
  const weights = specs.map((s) => params[s.name] as Value);
  const grads = gradients(loss, weights);
  const upd = adamw(
    specs.map((s, i) => ({
      value: weights[i] as Value,
      grad: grads[i] as Value,
      m: g.input(`m.${s.name}`, dtype, s.shape),
      v: g.input(`v.${s.name}`, dtype, s.shape),
      decay: s.decay,
    })),
    lr,
    step,
    opt,
  );
  g.output(loss, 'loss');
  g.output(upd.gradNorm, 'grad_norm');
  const feedback: Record<string, string> = {};
  specs.forEach((s, i) => {
    for (const [prefix, vals] of [
      ['', upd.params],
      ['m.', upd.m],
      ['v.', upd.v],
    ] as const) {
      g.output(vals[i] as Value, `new.${prefix}${s.name}`);
      feedback[`new.${prefix}${s.name}`] = `${prefix}${s.name}`;
    }
  });
  return feedback;
}
