// What a real run needs that the playground has no notion of: the model, the cluster, token budgets.

/** The exporter's choices beyond the playground config (CLI flags; the page uses the defaults). */
export interface RecipeOptions {
  model: string; // Hugging Face id or path of the chat model
  nnodes: number;
  gpusPerNode: number;
  maxPromptLength: number; // tokens; must hold the refinement prompt (question + response + critique)
  maxResponseLength: number; // tokens
  maxTokensPerGpu: number; // dynamic batch size budget (use_dynamic_bsz)
  rollout: 'vllm' | 'sglang';
  tensorParallel: number; // rollout tensor parallel size
}

export const RECIPE_DEFAULTS: Readonly<RecipeOptions> = Object.freeze({
  model: 'Qwen/Qwen2.5-1.5B-Instruct',
  nnodes: 1,
  gpusPerNode: 8,
  maxPromptLength: 2048,
  maxResponseLength: 1024,
  maxTokensPerGpu: 16384,
  rollout: 'vllm',
  tensorParallel: 1,
});
