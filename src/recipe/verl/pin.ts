// The one verl commit the recipe is written and checked against (verl's trainer API moves between releases).

/** verl-project/verl at the newest snapshot read for this recipe (2026-08-22). */
export const VERL_REPO = 'https://github.com/verl-project/verl';
export const VERL_COMMIT = '1dda039b9c6311889a9c9a26040677e1254814f9';
export const VERL_COMMIT_DATE = '2026-08-22';
/** The verl-recipe commit whose DAPO recipe (dapo/main_dapo.py, dapo_ray_trainer.py) the layout follows. */
export const VERL_RECIPE_REPO = 'https://github.com/verl-project/verl-recipe';
export const VERL_RECIPE_COMMIT = '48ea0a797fa29867ea0ad92aff7d284eec7d4be3';

/** REQUIRED_VERL.txt, in the DAPO recipe's key=value form. */
export function requiredVerlTxt(): string {
  return `# GC-RL recipe: written against this verl commit (legacy RayPPOTrainer path, trainer.use_v1=false)
UPSTREAM=${VERL_REPO}.git
COMMIT=${VERL_COMMIT}
COMMIT_DATE=${VERL_COMMIT_DATE}
PIP_INSTALL=pip install "verl @ git+${VERL_REPO}.git@${VERL_COMMIT}"
LAYOUT_FROM=${VERL_RECIPE_REPO}/tree/${VERL_RECIPE_COMMIT}/dapo
NOTES=verl marks RayPPOTrainer deprecated (to be removed in v0.9.0); a newer verl may need gcrl_ray_trainer.py ported to the v1 trainer.
`;
}
