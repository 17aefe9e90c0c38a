"""GC-RL's data path between verl's rollouts, in pure Python (no verl, no torch import).

The playground's src/rl/critique-inputs.ts and advantages.ts rewritten for the recipe: the §3 data
filter, the question-response cache, §5.1 random sampling, C-RL's static pairs, the grouping of
responses and critiques for GRPO (which verl does by the ``uid`` column), the MC-GRPO median
baseline and the critic's batch metrics. Items are dicts with at least ``ok`` (the verifier's
label); everything else they carry (question, response, uid, the dataset row) is kept intact.
"""

from __future__ import annotations

import random
import statistics
from collections import OrderedDict

CRITIQUE_INPUTS = ("filter", "random", "randomReweight")
GROUPINGS = ("per_prompt", "question", "step")


def label_ratio(items) -> float:
    """Share of pairs whose response is truly correct (0 for none)."""
    return sum(1 for x in items if x["ok"]) / len(items) if items else 0.0


def data_filter(groups, rng: random.Random):
    """§3: for each question whose responses have both outcomes, one random correct then one
    random wrong response; all-correct and all-wrong groups give none. -> (pairs, metrics)."""
    pairs, kept, all_right, all_wrong = [], 0, 0, 0
    for g in groups:
        right = [x for x in g if x["ok"]]
        wrong = [x for x in g if not x["ok"]]
        if not g:
            continue
        if not wrong:
            all_right += 1
        elif not right:
            all_wrong += 1
        else:
            pairs += [rng.choice(right), rng.choice(wrong)]
            kept += 1
    return pairs, {
        "filter/kept_questions": kept,
        "filter/dropped_all_correct": all_right,
        "filter/dropped_all_wrong": all_wrong,
        "filter/pairs": len(pairs),
        "critic/label_ratio": label_ratio(pairs),
    }


def random_sampling(groups, count: int, rng: random.Random):
    """§5.1: ``count`` pairs uniformly without replacement from all first-order responses; no
    balance, so the label ratio follows the batch accuracy p. -> (pairs, metrics)."""
    pool = [x for g in groups for x in g]
    pairs = rng.sample(pool, min(count, len(pool)))
    return pairs, {
        "random/pairs": len(pairs),
        "random/pool": len(pool),
        "random/pool_label_ratio": label_ratio(pool),
        "critic/label_ratio": label_ratio(pairs),
    }


class QuestionResponseCache:
    """The cache fed by the data filter: at most ``capacity`` pairs, oldest evicted first (FIFO);
    sampling does not remove pairs."""

    def __init__(self, capacity: int):
        if not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"QuestionResponseCache: capacity must be an integer >= 1 (got {capacity!r})")
        self.capacity = capacity
        self.items = []

    def __len__(self) -> int:
        return len(self.items)

    def add(self, pairs) -> int:
        """Appends ``pairs`` in order; returns how many old pairs were evicted."""
        self.items.extend(pairs)
        over = max(0, len(self.items) - self.capacity)
        del self.items[:over]
        return over

    def sample(self, n: int, rng: random.Random):
        """``n`` pairs uniformly: without replacement while n <= size, then with replacement for the
        rest (``cache/replaced``); none when empty. -> (pairs, metrics)."""
        size = len(self.items)
        k = min(n, size)
        out = rng.sample(self.items, k)
        replaced = n - k if size else 0
        out += [rng.choice(self.items) for _ in range(replaced)]
        return out, {
            "cache/size": size,
            "cache/label_ratio": label_ratio(self.items),
            "cache/replaced": replaced,
            "critic/label_ratio": label_ratio(out),
        }


def select_pairs(name: str, groups, count: int, cache: QuestionResponseCache, rng: random.Random):
    """A critique input by name -> (pairs, metrics, weighted). ``filter`` feeds the cache and
    samples ``count`` pairs from it; ``random`` / ``randomReweight`` sample the step's responses
    (``randomReweight`` scores critiques with Eq. 3)."""
    if name == "filter":
        kept, m = data_filter(groups, rng)
        cache.add(kept)
        pairs, cm = cache.sample(count, rng)
        return pairs, {**m, **cm}, False
    if name in ("random", "randomReweight"):
        pairs, m = random_sampling(groups, count, rng)
        return pairs, m, name == "randomReweight"
    raise ValueError(f"unknown critique input {name!r} (valid: {', '.join(CRITIQUE_INPUTS)})")


def group_ids(grouping: str, response_uids, critique_question_uids, critique_pair_ids, step_uid: str):
    """The ``uid`` column GRPO groups by, for responses then critiques. ``per_prompt``: responses by
    question, critiques by the (question, response) pair they judge; ``question``: critiques carry
    their question's uid (mixed with that question's responses); ``step``: one group for the whole
    step (the playground's 'mixed')."""
    if grouping == "per_prompt":
        return list(response_uids), list(critique_pair_ids)
    if grouping == "question":
        return list(response_uids), list(critique_question_uids)
    if grouping == "step":
        return [step_uid] * len(response_uids), [step_uid] * len(critique_question_uids)
    raise ValueError(f"unknown grouping {grouping!r} (valid: {', '.join(GROUPINGS)})")


def _groups(index):
    g = OrderedDict()
    for i, uid in enumerate(index):
        g.setdefault(uid, []).append(i)
    return g


def zero_variance_mask(scores, index):
    """True for samples whose group's rewards are all equal (a singleton too): the playground's
    skipZeroVariance drops them from the update."""
    out = [False] * len(scores)
    for idx in _groups(index).values():
        vals = [scores[i] for i in idx]
        if len(vals) < 2 or max(vals) - min(vals) <= 1e-12:
            for i in idx:
                out[i] = True
    return out


def median_advantages(scores, index):
    """MC-GRPO: r - median of the group (mean of the two middle values for even sizes); groups of
    one or with equal rewards get 0. ``scores``: one reward per sequence; ``index``: group ids."""
    adv = [0.0] * len(scores)
    for idx in _groups(index).values():
        vals = [float(scores[i]) for i in idx]
        if len(vals) < 2 or max(vals) - min(vals) <= 1e-12:
            continue
        med = statistics.median(vals)
        for i in idx:
            adv[i] = float(scores[i]) - med
    return adv


def critic_metrics(truths, verdicts, positive: str = "correct"):
    """The critic's batch metrics with 'the response is correct' as the positive class (the paper's
    convention; ``positive='wrong'`` flips it): acc, precision, recall, f1, alpha = P(v=correct |
    correct), beta = P(v=wrong | wrong), verdict rate, label ratio. Verdicts: correct/wrong/none."""
    n = len(truths)
    pos_truth = [t if positive == "correct" else not t for t in truths]
    pos_pred = [v == positive for v in verdicts]
    tp = sum(1 for t, p in zip(pos_truth, pos_pred) if t and p)
    fp = sum(1 for t, p in zip(pos_truth, pos_pred) if not t and p)
    fn = sum(1 for t, p in zip(pos_truth, pos_pred) if t and not p)
    n_right = sum(1 for t in truths if t)
    a_hits = sum(1 for t, v in zip(truths, verdicts) if t and v == "correct")
    b_hits = sum(1 for t, v in zip(truths, verdicts) if not t and v == "wrong")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    nan = float("nan")
    return {
        "critic/acc": (a_hits + b_hits) / n if n else 0.0,
        "critic/precision": prec,
        "critic/recall": rec,
        "critic/f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "critic/alpha": a_hits / n_right if n_right else nan,
        "critic/beta": b_hits / (n - n_right) if n - n_right else nan,
        "critic/verdict_rate": sum(1 for v in verdicts if v != "none") / n if n else 0.0,
        "critic/label_ratio": n_right / n if n else 0.0,
    }
