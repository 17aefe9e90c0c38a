"""GC-RL entry point: verl's PPO task runner with the trainer class swapped for RayGCRLTrainer.

Run from this folder (run_gcrl.sh does): ``python3 main_gcrl.py [hydra overrides]``. The config is
config/gcrl_trainer.yaml, which extends verl's ppo_trainer (found through ``pkg://verl.trainer.config``).
"""

import os
import socket
import sys

import hydra
import ray

RECIPE_DIR = os.path.dirname(os.path.abspath(__file__))
if RECIPE_DIR not in sys.path:
    sys.path.insert(0, RECIPE_DIR)

from verl.experimental.reward_loop import migrate_legacy_reward_impl  # noqa: E402
from verl.trainer.main_ppo import run_ppo  # noqa: E402
from verl.trainer.main_ppo_v0 import BaseTaskRunner  # noqa: E402
from verl.trainer.ppo.utils import create_rl_dataset, create_rl_sampler, need_critic, need_reference_policy  # noqa: E402
from verl.utils.config import validate_config  # noqa: E402
from verl.utils.device import auto_set_device  # noqa: E402


class GCRLTaskRunner(BaseTaskRunner):
    """The standard task runner's setup, then RayGCRLTrainer instead of RayPPOTrainer."""

    def run(self, config):
        from pprint import pprint

        from omegaconf import OmegaConf

        from verl.utils.config import omega_conf_to_dataclass
        from verl.utils.dataset.rl_dataset import collate_fn

        if RECIPE_DIR not in sys.path and os.path.isdir(RECIPE_DIR):
            sys.path.insert(0, RECIPE_DIR)  # a Ray actor on this node; with `ray job submit` the working_dir is on the path
        from gcrl_ray_trainer import RayGCRLTrainer

        print(f"GC-RL TaskRunner on {socket.gethostname()}, pid {os.getpid()}")
        pprint(OmegaConf.to_container(config, resolve=True))
        OmegaConf.resolve(config)

        actor_rollout_cls, ray_worker_group_cls = self.add_actor_rollout_worker(config)
        self.add_critic_worker(config)
        self.add_reward_model_resource_pool(config)
        self.add_teacher_model_resource_pool(config)
        self.add_ref_policy_worker(config, actor_rollout_cls)
        validate_config(config=config, use_reference_policy=need_reference_policy(config), use_critic=need_critic(config))

        model_config = omega_conf_to_dataclass(config.actor_rollout_ref.model)  # HFModelConfig
        tokenizer, processor = model_config.tokenizer, model_config.processor
        resource_pool_manager = self.init_resource_pool_mgr(config)
        train_dataset = create_rl_dataset(
            config.data.train_files, config.data, tokenizer, processor, is_train=True,
            max_samples=config.data.get("train_max_samples", -1),
        )
        val_dataset = create_rl_dataset(
            config.data.val_files, config.data, tokenizer, processor, is_train=False,
            max_samples=config.data.get("val_max_samples", -1),
        )
        trainer = RayGCRLTrainer(
            config=config,
            tokenizer=tokenizer,
            processor=processor,
            role_worker_mapping=self.role_worker_mapping,
            resource_pool_manager=resource_pool_manager,
            ray_worker_group_cls=ray_worker_group_cls,
            train_dataset=train_dataset,
            val_dataset=val_dataset,
            collate_fn=collate_fn,
            train_sampler=create_rl_sampler(config.data, train_dataset),
        )
        trainer.init_workers()
        trainer.fit()


@hydra.main(config_path="config", config_name="gcrl_trainer", version_base=None)
def main(config):
    auto_set_device(config)
    config = migrate_legacy_reward_impl(config)
    run_ppo(config, task_runner_class=ray.remote(num_cpus=1)(GCRLTaskRunner))


if __name__ == "__main__":
    main()
