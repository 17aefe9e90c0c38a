"""GC-RL rewards for verl: Eqs. 1-6 and the Eq. 3 reweighting as a verl custom reward function.

Pure Python (no verl, no torch import) so it runs in verl's reward-loop worker processes and in
plain ``python3 -m unittest``. The numbers match the playground's src/rl/rewards.ts case for case
(tests/test_reward_gcrl.py checks them against golden cases written by the TypeScript code).

verl calls ``compute_score(data_source, solution_str, ground_truth, extra_info, **reward_kwargs)``
once per sequence, in a separate process, so everything that changes during training travels in
the sample's ``extra_info`` (set by gcrl_ray_trainer.py):

    gcrl_role        "response" (default), "critique" or "refinement"
    gcrl_truth       critiques: whether the judged response is correct (the verifier's label)
    gcrl_weighted    critiques: score with Eq. 3 instead of the reward table
    gcrl_p           critiques: the running accuracy p = E[R(o)] for Eq. 3
    gcrl_refine_k    critiques: how many of the m refinements after this critique were correct
    gcrl_refine_m    critiques: m (0 or absent: Eq. 4 off)

Static settings arrive as ``reward_kwargs`` (reward.custom_reward_function.reward_kwargs):
``reward_table`` (the 2x2 table + missing verdict) and ``denoise_coefs``.

Every call returns a dict with the same keys for responses, critiques and refinements, because
verl stores each key as a column and DataProto.concat needs the same columns on both batches.
"""

from __future__ import annotations

import math
import re

# Eq. 2 (symmetric), Eq. 5 (lean to "wrong": 0.6 / 0.8) and Eq. 6 (lean to "correct": 0.8 / 0.6).
# Cells: correct_right — response truly correct, verdict "correct"; correct_wrong — truly correct,
# verdict "wrong" (a penalty); wrong_right — truly wrong, verdict "wrong"; wrong_wrong — truly wrong,
# verdict "correct" (a penalty); missing — no parsable verdict.
REWARD_PRESETS = {
    "symmetric": {"correct_right": 0.7, "correct_wrong": 0.0, "wrong_right": 0.7, "wrong_wrong": 0.0, "missing": 0.0},
    "catchIncorrect": {
        "correct_right": 0.6,
        "correct_wrong": 0.0,
        "wrong_right": 0.8,
        "wrong_wrong": 0.0,
        "missing": 0.0,
    },
    "acceptCorrect": {
        "correct_right": 0.8,
        "correct_wrong": 0.0,
        "wrong_right": 0.6,
        "wrong_wrong": 0.0,
        "missing": 0.0,
    },
}
DEFAULT_TABLE = REWARD_PRESETS["symmetric"]
TABLE_KEYS = ("correct_right", "correct_wrong", "wrong_right", "wrong_wrong", "missing")

# Eq. 4: R_q(c) = coef[verdict] * k / m.
DENOISE_COEFS = {"correct": 0.1, "wrong": 0.7}

# Eq. 3 clamps p into [WEIGHT_EPS, 1 - WEIGHT_EPS] so both weights stay finite.
WEIGHT_EPS = 1e-3

VERDICTS = ("correct", "wrong", "none")
ROLES = ("response", "critique", "refinement")


def _table(table):
    """A full reward table: defaults for absent cells; camelCase keys (the playground's) accepted."""
    out = dict(DEFAULT_TABLE)
    for key, value in dict(table or {}).items():
        snake = re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), key)
        if snake not in TABLE_KEYS:
            raise ValueError(f"unknown reward table cell {key!r} (valid: {', '.join(TABLE_KEYS)})")
        out[snake] = float(value)
    return out


def response_reward(ok: bool) -> float:
    """Eq. 1: R(o) = 1 if the verifier accepts the response, else 0."""
    return 1.0 if ok else 0.0


def critique_reward(table, truth: bool, verdict: str) -> float:
    """Eqs. 2, 5, 6 and user tables: R(c) for a response that is truly correct (``truth``) and a verdict."""
    t = _table(table)
    _check_verdict(verdict)
    if verdict == "none":
        return t["missing"]
    if truth:
        return t["correct_right"] if verdict == "correct" else t["correct_wrong"]
    return t["wrong_right"] if verdict == "wrong" else t["wrong_wrong"]


def clamp_p(p: float) -> float:
    return min(1.0 - WEIGHT_EPS, max(WEIGHT_EPS, float(p)))


def label_weight(truth: bool, p: float) -> float:
    """Eq. 3's importance weight of a critique of a truly correct (``truth``) or wrong response: 1/(2*P(truth))."""
    q = clamp_p(p)
    return 1 / (2 * q) if truth else 1 / (2 * (1 - q))


def weighted_critique_reward(table, truth: bool, verdict: str, p: float) -> float:
    """Eq. 3 with any reward table: the table's reward times the label's weight, so a right verdict
    on a correct response earns correct_right/(2p) (0.35/p for Eq. 2), on a wrong response
    wrong_right/(2(1-p)); penalties and the missing-verdict reward scale with the same label weight,
    which keeps the expectation over labels drawn with ratio p at the balanced-set value."""
    return critique_reward(table, truth, verdict) * label_weight(truth, p)


def denoised_reward(verdict: str, k: int, m: int, coefs=None) -> float:
    """Eq. 4 (§5.2): with k of m refinements correct, R_q(c) = 0.1*k/m for verdict "correct",
    0.7*k/m for "wrong", 0 without a verdict."""
    c = dict(DENOISE_COEFS, **(coefs or {}))
    if not isinstance(m, int) or isinstance(m, bool) or m < 1:
        raise ValueError(f"denoised_reward: m must be an integer >= 1 (got {m!r})")
    if not isinstance(k, int) or isinstance(k, bool) or k < 0 or k > m:
        raise ValueError(f"denoised_reward: k must be in 0..{m} (got {k!r})")
    _check_verdict(verdict)
    if verdict == "none":
        return 0.0
    return c[verdict] * k / m


def predicted_bias(p: float, alpha: float, beta: float, base: float = 0.7) -> dict:
    """Appendix C: unweighted random sampling expects base*(p*alpha + (1-p)*beta); Eq. 3 expects
    base*(alpha+beta)/2 whatever p; pull = p - 1/2 (< 0 rewards saying "wrong" more)."""
    return {
        "unweighted": base * (p * alpha + (1 - p) * beta),
        "weighted": base * (alpha + beta) / 2,
        "pull": p - 0.5,
    }


class RunningMean:
    """Running estimate of p = E[R(o)], as the playground's trainer keeps it (momentum 0.9).

    ``momentum``: v <- mu*v + (1-mu)*mean(batch), the first batch setting v outright; ``window``:
    the plain mean of the last W values. ``value`` is ``initial`` (0.5) until the first update.
    """

    def __init__(self, momentum=None, window=None, initial=0.5):
        if (momentum is None) == (window is None):
            raise ValueError("RunningMean: give exactly one of momentum, window")
        if momentum is not None and not 0 <= momentum < 1:
            raise ValueError(f"RunningMean: momentum must be in [0, 1) (got {momentum})")
        if window is not None and (not isinstance(window, int) or window < 1):
            raise ValueError(f"RunningMean: window must be an integer >= 1 (got {window})")
        self.momentum, self.window = momentum, window
        self.value = float(initial)
        self.count = 0
        self._buf = []

    def update(self, values) -> float:
        xs = [float(values)] if isinstance(values, (int, float)) else [float(x) for x in values]
        if not xs:
            return self.value
        self.count += len(xs)
        if self.window is not None:
            self._buf = (self._buf + xs)[-self.window :]
            self.value = sum(self._buf) / len(self._buf)
        else:
            m = sum(xs) / len(xs)
            first = self.count == len(xs)
            self.value = m if first else self.momentum * self.value + (1 - self.momentum) * m
        return self.value

    def state_dict(self) -> dict:
        return {"value": self.value, "count": self.count, "buf": list(self._buf)}

    def load_state_dict(self, s: dict) -> None:
        self.value, self.count, self._buf = float(s["value"]), int(s["count"]), list(s.get("buf", []))


# ---- Parsing what a chat model writes --------------------------------------------------------

_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_VERDICT = re.compile(r"verdict\s*[:：]?\s*[*_`\"']*\s*(incorrect|correct|wrong|right)\b", re.I)


def parse_verdict(text: str) -> str:
    """The verdict a critique ends with ("Verdict: correct" / "Verdict: incorrect"): "correct",
    "wrong", or "none" when there is none or the critique states both (as the playground voids a
    critique with two verdict tokens). Reasoning inside <think>...</think> is ignored."""
    body = _THINK.sub(" ", text or "")
    found = {("correct" if v.lower() in ("correct", "right") else "wrong") for v in _VERDICT.findall(body)}
    return found.pop() if len(found) == 1 else "none"


def _last_boxed(text: str):
    """Content of the last \\boxed{...} (balanced braces), or None."""
    at = text.rfind("\\boxed")
    if at < 0:
        return None
    i = text.find("{", at)
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    return None


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def extract_answer(text: str):
    """The final answer of a response: the last \\boxed{...}, else what follows the last '####',
    else the last number; None when there is nothing."""
    body = _THINK.sub(" ", text or "")
    boxed = _last_boxed(body)
    if boxed is not None:
        return boxed.strip()
    if "####" in body:
        tail = body.rsplit("####", 1)[1].strip()
        return tail.splitlines()[0].strip() if tail else None
    nums = _NUMBER.findall(body)
    return nums[-1] if nums else None


def _normalize(ans: str) -> str:
    s = ans.strip().strip("$").strip()
    s = re.sub(r"\\text\{([^}]*)\}", r"\1", s)
    s = s.replace("\\!", "").replace(" ", "").rstrip(".")
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", s):
        s = s.replace(",", "")
    return s


def verify(solution_str: str, ground_truth) -> bool:
    """Rule verifier for numeric answers (the playground's arithmetic, GSM8K-style sets): the
    extracted final answer equals the ground truth as a number (relative tolerance 1e-9) or, if
    either is not a number, as a normalised string. Swap in math_verify for competition math."""
    ans = extract_answer(solution_str)
    if ans is None:
        return False
    a, b = _normalize(ans), _normalize(str(ground_truth))
    try:
        x, y = float(a), float(b)
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return a == b


# ---- The verl entry point --------------------------------------------------------------------


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw) -> dict:
    """verl's custom reward function. Returns ``score`` plus the same extra keys for every role:
    acc (1 for a right answer / a right verdict), role (0 response, 1 critique, 2 refinement),
    verdict (1 correct, 0 wrong, -1 none or not a critique), truth (the judged response's label),
    base_reward, denoise_reward (Eq. 4's R_q) and weight_p (the p Eq. 3 used, -1 when unused)."""
    info = dict(extra_info or {})
    role = info.get("gcrl_role", "response")
    if role not in ROLES:
        raise ValueError(f"extra_info.gcrl_role must be one of {', '.join(ROLES)} (got {role!r})")
    if role != "critique":
        ok = verify(solution_str, ground_truth)
        r = response_reward(ok)
        return _result(r, acc=ok, role=role, verdict=None, truth=ok, base=r, denoise=0.0, weight_p=-1.0)
    table = kw.get("reward_table")
    truth = bool(info["gcrl_truth"])
    verdict = parse_verdict(solution_str)
    weighted = bool(info.get("gcrl_weighted", False))
    p = float(info.get("gcrl_p", 0.5))
    base = weighted_critique_reward(table, truth, verdict, p) if weighted else critique_reward(table, truth, verdict)
    m = int(info.get("gcrl_refine_m", 0) or 0)
    denoise = denoised_reward(verdict, int(info.get("gcrl_refine_k", 0)), m, kw.get("denoise_coefs")) if m > 0 else 0.0
    right = (verdict == "correct" and truth) or (verdict == "wrong" and not truth)
    return _result(
        base + denoise,
        acc=right,
        role=role,
        verdict=verdict,
        truth=truth,
        base=base,
        denoise=denoise,
        weight_p=clamp_p(p) if weighted else -1.0,
    )


def _result(score, *, acc, role, verdict, truth, base, denoise, weight_p) -> dict:
    return {
        "score": float(score),
        "acc": 1.0 if acc else 0.0,
        "role": float(ROLES.index(role)),
        "verdict": {"correct": 1.0, "wrong": 0.0}.get(verdict, -1.0),
        "truth": 1.0 if truth else 0.0,
        "base_reward": float(base),
        "denoise_reward": float(denoise),
        "weight_p": float(weight_p),
    }


def _check_verdict(v: str) -> None:
    if v not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)} (got {v!r})")
