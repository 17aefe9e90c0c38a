"""GC-RL on verl: RayPPOTrainer.fit() with a second-order rollout (GC-RL, arXiv 2602.22765).

One step, as the playground's src/rl/trainer.ts runs it:
  first-order rollout (n responses per question, Eq. 1 rewards from reward_gcrl in verl's reward
  loop) -> critique input (data filter + question-response cache, random sampling, or C-RL's
  static pairs) -> second-order rollout (critique.n critiques per pair, Eqs. 2/3/5/6) -> optional
  refinements after each critique and the Eq. 4 reward R(c) + R_q(c) -> responses and critiques
  concatenated into one batch whose ``uid`` column decides the GRPO groups -> old/ref log-probs,
  advantages, one actor update (ppo_epochs over ppo_mini_batch_size mini-batches).
Written against verl at the commit in REQUIRED_VERL.txt (legacy RayPPOTrainer, trainer.use_v1=false).
"""

from __future__ import annotations

import json
import os
import random
import uuid
from pprint import pprint

import numpy as np
import torch
from omegaconf import OmegaConf
from tqdm import tqdm

from verl import DataProto
from verl.protocol import pad_dataproto_to_divisor, unpad_dataproto
from verl.trainer.ppo.core_algos import register_adv_est
from verl.trainer.ppo.metric_utils import compute_data_metrics, compute_throughout_metrics, compute_timing_metrics
from verl.trainer.ppo.ray_trainer import RayPPOTrainer, compute_advantage, compute_response_mask
from verl.trainer.ppo.reward import extract_reward
from verl.utils.dataset.rl_dataset import collate_fn
from verl.utils.profiler import marked_timer
from verl.utils.metric import reduce_metrics
from verl.utils.tracking import Tracking

from gcrl_core import QuestionResponseCache, critic_metrics, data_filter, group_ids, median_advantages
from gcrl_core import select_pairs, zero_variance_mask
from gcrl_prompts import critique_messages, question_text, refinement_messages
from reward_gcrl import RunningMean, compute_score, predicted_bias

VERDICT_NAME = {1.0: "correct", 0.0: "wrong", -1.0: "none"}


@register_adv_est("gcrl_median")
def compute_gcrl_median_advantage(token_level_rewards, response_mask, index, config=None, **kwargs):
    """MC-GRPO's median baseline (no verl built-in): r - median of the uid group, on every token."""
    scores = token_level_rewards.sum(dim=-1).tolist()
    adv = torch.tensor(median_advantages(scores, list(index)), dtype=token_level_rewards.dtype)
    adv = adv.unsqueeze(-1) * response_mask
    return adv, adv


class RayGCRLTrainer(RayPPOTrainer):
    """RayPPOTrainer whose fit() adds the second-order rollout; settings under ``config.gcrl``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        g = self.config.gcrl
        self.g = g
        self.rng = random.Random(int(g.seed))
        self.p = RunningMean(momentum=float(g.p_momentum))
        self.cache = QuestionResponseCache(int(g.critique.cache_capacity))
        self.static_pairs = []
        self.eval_pairs = []  # the balanced held-out critique set (gcrl.critic_eval)
        kwargs = self.config.reward.custom_reward_function.get("reward_kwargs") or {}
        self.reward_kwargs = OmegaConf.to_container(kwargs) if OmegaConf.is_config(kwargs) else dict(kwargs)

    # ---- rollouts -------------------------------------------------------------------------

    def _rollout(self, rows: DataProto, repeat: int, timing: dict, name: str, validate=False) -> DataProto:
        """``repeat`` samples per row through verl's agent loop; rewards come back in rm_scores.
        ``validate``: the rollout's val_kwargs sampling (greedy by default), as _validate() uses."""
        rows.meta_info["temperature"] = self.config.actor_rollout_ref.rollout.temperature
        gen = self._get_gen_batch(rows)
        gen.meta_info["global_steps"] = self.global_steps
        if validate:
            gen.meta_info["validate"] = True
        # The agent loop splits a batch evenly over its workers: pad (as _validate() does), then drop the pad.
        workers = int(self.config.actor_rollout_ref.rollout.agent.num_workers)
        padded, pad = pad_dataproto_to_divisor(gen.repeat(repeat_times=repeat, interleave=True), workers)
        with marked_timer(name, timing, color="red"):
            out = unpad_dataproto(self.async_rollout_manager.generate_sequences(padded), pad_size=pad)
        out.meta_info.pop("timing", None)
        batch = rows.repeat(repeat_times=repeat, interleave=True).union(out)
        if "response_mask" not in batch.batch.keys():
            batch.batch["response_mask"] = compute_response_mask(batch)
        if self.use_rm and "rm_scores" not in batch.batch.keys():
            batch = batch.union(self._compute_reward_colocate(batch))
        return batch

    def _texts(self, batch: DataProto) -> list:
        """Decoded responses (valid tokens only)."""
        resp = batch.batch["responses"]
        valid = batch.batch["attention_mask"][:, -resp.shape[-1] :].sum(-1).tolist()
        return [self.tokenizer.decode(resp[i][: int(v)], skip_special_tokens=True) for i, v in enumerate(valid)]

    @staticmethod
    def _row(pair: dict, raw_prompt: list, info: dict, uid: str) -> dict:
        """A dataset-shaped row (what collate_fn expects) for a critique or refinement prompt."""
        return {
            "data_source": pair["data_source"],
            "reward_model": pair["reward_model"],
            "extra_info": {**pair["extra_info"], **info},
            "raw_prompt": raw_prompt,
            "uid": uid,
            "index": pair["extra_info"].get("index", 0),
            "tools_kwargs": {},
            "interaction_kwargs": {},
            "dummy_tensor": torch.tensor([0], dtype=torch.uint8),
        }

    def _first_order(self, batch_dict: dict, n: int, timing: dict):
        """n responses per question -> (batch, groups of answer dicts)."""
        rows = DataProto.from_single_dict(batch_dict)
        uids = [str(uuid.uuid4()) for _ in range(len(rows))]
        rows.non_tensor_batch["uid"] = np.array(uids, dtype=object)
        nt = rows.non_tensor_batch
        prompts = list(nt["raw_prompt"])
        infos = [dict(x or {}) for x in nt["extra_info"]]
        for info in infos:
            info["gcrl_role"] = "response"
        nt["extra_info"] = np.array(infos, dtype=object)
        meta = [
            {
                "uid": uids[i],
                "question": question_text(prompts[i], infos[i]),
                "raw_prompt": [dict(m) for m in prompts[i]],
                "data_source": nt["data_source"][i],
                "reward_model": dict(nt["reward_model"][i]),
                "extra_info": infos[i],
            }
            for i in range(len(rows))
        ]
        batch = self._rollout(rows, n, timing, "gen")
        oks = [bool(x) for x in batch.non_tensor_batch["acc"]]
        texts = self._texts(batch)
        groups = [[{**meta[q], "response": texts[q * n + k], "ok": oks[q * n + k]} for k in range(n)] for q in range(len(meta))]
        return batch, groups

    def _critiques(self, pairs: list, weighted: bool, denoise_m: int, timing: dict, metrics: dict) -> DataProto:
        """critique.n critiques per pair, then (Eq. 4) m refinements per critique and the re-score."""
        n = int(self.g.critique.n)
        info = {"gcrl_role": "critique", "gcrl_weighted": weighted, "gcrl_p": self.p.value}
        batch = self._rollout(self._critique_rows(pairs, info), n, timing, "gen_critique")
        if denoise_m > 0:
            texts = self._texts(batch)
            ref_rows = []
            for i, critique in enumerate(texts):
                pr = pairs[i // n]
                messages = refinement_messages(pr["raw_prompt"], pr["response"], critique)
                ref_rows.append(self._row(pr, messages, {"gcrl_role": "refinement"}, pr["uid"]))
            refined = self._rollout(DataProto.from_single_dict(collate_fn(ref_rows)), denoise_m, timing, "gen_refine")
            acc = np.asarray(refined.non_tensor_batch["acc"], dtype=float).reshape(len(texts), denoise_m)
            ks = acc.sum(-1).astype(int).tolist()
            metrics["reward/refine_acc"] = float(acc.mean())
            self._rescore(batch, texts, pairs, n, info, ks, denoise_m)
        return batch

    def _critique_rows(self, pairs: list, info: dict) -> DataProto:
        rows = [
            self._row(
                pr,
                critique_messages(pr["question"], pr["response"]),
                {**info, "gcrl_truth": pr["ok"], "question": pr["question"]},
                pr["uid"],
            )
            for pr in pairs
        ]
        return DataProto.from_single_dict(collate_fn(rows))

    def _build_eval_pairs(self):
        """The playground's balanced held-out critique set, built once: 4 responses per held-out
        question from the policy before training, 1 correct + 1 wrong kept per question."""
        timing = {}
        for batch_dict in self.val_dataloader:
            _, groups = self._first_order(batch_dict, 4, timing)
            self.eval_pairs += data_filter(groups, self.rng)[0]
        print(f"[gcrl] balanced held-out critique set: {len(self.eval_pairs)} pairs")

    def _validate_critic(self) -> dict:
        """eval/critic/*: one greedy critique per held-out pair (val_kwargs sampling)."""
        if not self.eval_pairs:
            return {}
        info = {"gcrl_role": "critique", "gcrl_weighted": False, "gcrl_p": 0.5}
        out = self._rollout(self._critique_rows(self.eval_pairs, info), 1, {}, "eval_critique", validate=True)
        truths = [bool(t) for t in out.non_tensor_batch["truth"]]
        verdicts = [VERDICT_NAME[float(v)] for v in out.non_tensor_batch["verdict"]]
        cm = critic_metrics(truths, verdicts, positive=str(self.g.positive_class))
        return {f"eval/{k}": v for k, v in cm.items()}

    def _rescore(self, batch, texts, pairs, n, info, ks, m):
        """Eq. 4: recompute each critique's reward with its refinement count k (the reward loop
        scored it before the refinements existed) and write it where verl keeps outcome rewards."""
        scores = batch.batch["rm_scores"]
        resp_len = batch.batch["responses"].shape[-1]
        last = (batch.batch["attention_mask"][:, -resp_len:].sum(-1).long() - 1).clamp(min=0)
        for i, text in enumerate(texts):
            pr = pairs[i // n]
            ex = {**pr["extra_info"], **info, "gcrl_truth": pr["ok"], "gcrl_refine_k": ks[i], "gcrl_refine_m": m}
            r = compute_score(pr["data_source"], text, pr["reward_model"].get("ground_truth"), ex, **self.reward_kwargs)
            scores[i].zero_()
            scores[i, last[i]] = r["score"]
            for key, value in r.items():
                if key in batch.non_tensor_batch:
                    batch.non_tensor_batch[key][i] = value

    def _build_static_pairs(self):
        """C-RL static: critique.static_responses responses per training question, sampled once
        before training; 1 correct + 1 wrong kept per question that has both."""
        timing = {}
        for batch_dict in self.train_dataloader:
            _, groups = self._first_order(batch_dict, int(self.g.critique.static_responses), timing)
            self.static_pairs += data_filter(groups, self.rng)[0]
        self.checkpoint_manager.sleep_replicas()
        print(f"[gcrl] static pairs: {len(self.static_pairs)}")

    # ---- the step loop ----------------------------------------------------------------------

    def _step(self, batch_dict: dict, metrics: dict, timing: dict) -> DataProto:
        g, mode = self.g, self.g.mode
        n = int(self.config.actor_rollout_ref.rollout.n)
        resp, groups = self._first_order(batch_dict, n, timing)
        oks = [a["ok"] for grp in groups for a in grp]
        metrics["gen/acc"] = float(np.mean(oks))
        metrics["gen/p"] = self.p.update([1.0 if o else 0.0 for o in oks])
        parts, crit = [], None
        train_resp = mode in ("grl", "gcrl")
        if train_resp:
            parts.append(resp)
        if mode != "grl":
            with marked_timer("filter", timing):
                if mode == "crl-static":
                    pool = self.static_pairs
                    pairs = [self.rng.choice(pool) for _ in range(int(g.critique.pairs))] if pool else []
                    weighted = g.critique.input == "randomReweight"
                else:
                    pairs, sm, weighted = select_pairs(g.critique.input, groups, int(g.critique.pairs), self.cache, self.rng)
                    metrics.update(sm)
            stage_one = mode == "critique-rl" and self.global_steps <= self.total_training_steps / 2
            denoise_m = 0 if stage_one else int(g.critique.denoise_m)
            if pairs:
                crit = self._critiques(pairs, weighted, denoise_m, timing, metrics)
                parts.append(crit)
                self._critic_metrics(crit, metrics)
        self.checkpoint_manager.sleep_replicas()
        if not parts:
            return None
        # Critiques carry their question's uid (question_uid); `uid`, which GRPO groups by, follows
        # gcrl.grouping. Pair ids: the critique.n critiques of one pair are consecutive rows.
        q_uids = [] if crit is None else [str(x) for x in crit.non_tensor_batch["uid"]]
        pair_uids = [f"{u}/pair{i // int(g.critique.n)}" for i, u in enumerate(q_uids)]
        resp_uids = [str(x) for x in resp.non_tensor_batch["uid"]] if train_resp else []
        r_ids, c_ids = group_ids(g.grouping, resp_uids, q_uids, pair_uids, f"step-{self.global_steps}")
        if train_resp:
            resp.non_tensor_batch["question_uid"] = np.array(resp_uids, dtype=object)
            resp.non_tensor_batch["uid"] = np.array(r_ids, dtype=object)
        if crit is not None:
            crit.non_tensor_batch["question_uid"] = np.array(q_uids, dtype=object)
            crit.non_tensor_batch["uid"] = np.array(c_ids, dtype=object)
        batch = parts[0] if len(parts) == 1 else DataProto.concat(_common_keys(parts))
        return self._finish_batch(batch, metrics)

    def _critic_metrics(self, crit: DataProto, metrics: dict):
        nt = crit.non_tensor_batch
        truths = [bool(t) for t in nt["truth"]]
        verdicts = [VERDICT_NAME[float(v)] for v in nt["verdict"]]
        cm = critic_metrics(truths, verdicts, positive=str(self.g.positive_class))
        metrics.update(cm)
        metrics["reward/critique_mean"] = float(np.mean(nt["score"]))
        metrics["reward/denoise_mean"] = float(np.mean(nt["denoise_reward"]))
        pred = predicted_bias(cm["critic/label_ratio"], cm["critic/alpha"], cm["critic/beta"])
        metrics["critic/predicted_unweighted"] = pred["unweighted"]
        metrics["critic/predicted_weighted"] = pred["weighted"]

    def _finish_batch(self, batch: DataProto, metrics: dict) -> DataProto:
        """Outcome rewards in place, zero-variance groups dropped (skip_zero_variance), and the
        batch trimmed to a multiple of the GPU count so it splits evenly across ranks."""
        reward_tensor, _extra = extract_reward(batch)
        batch.batch["token_level_scores"] = reward_tensor
        batch.batch["token_level_rewards"] = reward_tensor
        keep = list(range(len(batch)))
        if self.g.skip_zero_variance:
            zv = zero_variance_mask(reward_tensor.sum(-1).tolist(), list(batch.non_tensor_batch["uid"]))
            keep = [i for i in keep if not zv[i]]
            metrics["adv/zero_var_dropped"] = len(batch) - len(keep)
        world = int(self.config.trainer.n_gpus_per_node) * int(self.config.trainer.nnodes)
        cut = len(keep) - len(keep) % world
        metrics["gcrl/trimmed"] = len(keep) - cut
        if cut == 0:
            return None
        if cut < len(batch):
            batch = batch.select_idxs(sorted(self.rng.sample(keep, cut)))
        metrics["gcrl/samples"] = len(batch)
        return batch

    def fit(self):
        if self._dump_executor._shutdown:
            self._init_dump_executor()
        tracker = Tracking(
            project_name=self.config.trainer.project_name,
            experiment_name=self.config.trainer.experiment_name,
            default_backend=self.config.trainer.logger,
            config=OmegaConf.to_container(self.config, resolve=True),
        )
        self.global_steps = 0
        self._load_checkpoint()
        self._load_gcrl_state()
        self.checkpoint_manager.update_weights(self.global_steps)
        if self.g.critic_eval and self.config.trainer.test_freq > 0 and not self.eval_pairs:
            self._build_eval_pairs()
        if self.config.trainer.get("val_before_train", True):
            val = {**self._validate(), **self._validate_critic()}
            pprint(f"Initial validation metrics: {val}")
            tracker.log(data=val, step=self.global_steps)
            if self.config.trainer.get("val_only", False):
                return
        if self.g.mode == "crl-static" and not self.static_pairs:
            self._build_static_pairs()
            self.checkpoint_manager.update_weights(self.global_steps)
        bar = tqdm(total=self.total_training_steps, initial=self.global_steps, desc="GC-RL")
        first_epoch = self.global_steps // len(self.train_dataloader)
        self.global_steps += 1
        for _epoch in range(first_epoch, self.config.trainer.total_epochs):
            for batch_dict in self.train_dataloader:
                metrics, timing = {}, {}
                last = self.global_steps >= self.total_training_steps
                with marked_timer("step", timing):
                    batch = self._step(batch_dict, metrics, timing)
                    if batch is not None:
                        batch = self._update(batch, metrics, timing)
                    self.checkpoint_manager.update_weights(self.global_steps)
                if self.config.trainer.save_freq > 0 and (last or self.global_steps % self.config.trainer.save_freq == 0):
                    self._save_checkpoint()
                    self._save_gcrl_state()
                if self.config.trainer.test_freq > 0 and (last or self.global_steps % self.config.trainer.test_freq == 0):
                    metrics.update({**self._validate(), **self._validate_critic()})
                if batch is not None:
                    metrics.update(compute_data_metrics(batch=batch, use_critic=self.use_critic))
                    metrics.update(compute_timing_metrics(batch=batch, timing_raw=timing))
                    n_gpus = self.resource_pool_manager.get_n_gpus()
                    metrics.update(compute_throughout_metrics(batch=batch, timing_raw=timing, n_gpus=n_gpus))
                metrics["training/global_step"] = self.global_steps
                tracker.log(data=metrics, step=self.global_steps)
                bar.update(1)
                self.global_steps += 1
                if last:
                    bar.close()
                    self._shutdown_dump_executor()
                    return
        self._shutdown_dump_executor()

    def _update(self, batch: DataProto, metrics: dict, timing: dict) -> DataProto:
        """The PPO/GRPO half of RayPPOTrainer.fit(): log-probs, advantages, actor update."""
        if self.config.trainer.balance_batch:
            self._balance_batch(batch, metrics=metrics)
        batch.meta_info["global_token_num"] = torch.sum(batch.batch["attention_mask"], dim=-1).tolist()
        with marked_timer("old_log_prob", timing, color="blue"):
            old, _mfu = self._compute_old_log_prob(batch)
            old.batch.pop("entropys")
            batch = batch.union(old)
        if self.use_reference_policy:
            with marked_timer("ref", timing, color="olive"):
                batch = batch.union(self._compute_ref_log_prob(batch))
        with marked_timer("adv", timing, color="brown"):
            batch = compute_advantage(
                batch,
                adv_estimator=self.config.algorithm.adv_estimator,
                gamma=self.config.algorithm.gamma,
                lam=self.config.algorithm.lam,
                num_repeat=self.config.actor_rollout_ref.rollout.n,
                norm_adv_by_std_in_grpo=self.config.algorithm.get("norm_adv_by_std_in_grpo", True),
                config=self.config.algorithm,
            )
        with marked_timer("update_actor", timing, color="red"):
            out = self._update_actor(batch)
        metrics.update(reduce_metrics(out.meta_info["metrics"]))
        return batch

    # ---- GC-RL state across restarts (running p, cache, static pairs) ----------------------

    def _state_path(self, step: int) -> str:
        return os.path.join(self.config.trainer.default_local_dir, f"global_step_{step}", "gcrl_state.json")

    def _save_gcrl_state(self):
        state = {"p": self.p.state_dict(), "cache": self.cache.items, "static": self.static_pairs, "eval": self.eval_pairs}
        path = self._state_path(self.global_steps)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(state, f, default=_jsonable)

    def _load_gcrl_state(self):
        path = self._state_path(self.global_steps)
        if self.global_steps > 0 and os.path.exists(path):
            with open(path) as f:
                state = json.load(f)
            self.p.load_state_dict(state["p"])
            self.cache.items = state["cache"]
            self.static_pairs = state["static"]
            self.eval_pairs = state.get("eval", [])
            print(f"[gcrl] restored p={self.p.value:.3f}, cache={len(self.cache)} from {path}")


def _common_keys(parts):
    """DataProto.concat needs the same columns: keep the non-tensor keys every part has."""
    common = set.intersection(*(set(p.non_tensor_batch) for p in parts))
    for p in parts:
        dropped = set(p.non_tensor_batch) - common
        for k in dropped:
            p.non_tensor_batch.pop(k)
    return parts


def _jsonable(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)
