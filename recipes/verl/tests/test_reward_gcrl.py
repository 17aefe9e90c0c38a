"""reward_gcrl against the playground's golden numbers (stdlib unittest only: python3 -m unittest).

The golden cases are computed by the playground's TypeScript rewards (src/rl/rewards.ts) and stored
as JSON: tests/reward_golden.json in an exported recipe, test/fixtures/verl/reward-golden.json in the
playground repository (GCRL_GOLDEN overrides both).
"""

import json
import math
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import reward_gcrl as R  # noqa: E402


def golden_path():
    candidates = [
        os.environ.get("GCRL_GOLDEN"),
        os.path.join(HERE, "reward_golden.json"),
        os.path.join(HERE, "..", "..", "..", "test", "fixtures", "verl", "reward-golden.json"),
    ]
    for c in candidates:
        if c and os.path.exists(c):
            return c
    raise FileNotFoundError("no golden reward cases: set GCRL_GOLDEN or keep tests/reward_golden.json")


with open(golden_path()) as f:
    G = json.load(f)
TABLES = G["tables"]


class GoldenRewards(unittest.TestCase):
    def close(self, got, want, msg):
        self.assertTrue(math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12), f"{msg}: got {got}, want {want}")

    def test_constants(self):
        self.assertEqual(R.WEIGHT_EPS, G["weight_eps"])
        self.assertEqual(R.DENOISE_COEFS, G["denoise_coefs"])
        for name in ("symmetric", "catchIncorrect", "acceptCorrect"):
            self.assertEqual(R._table(TABLES[name]), R.REWARD_PRESETS[name])

    def test_eq1_response(self):
        for c in G["response"]:
            self.assertEqual(R.response_reward(c["ok"]), c["expected"])

    def test_eq2_5_6_table(self):
        for c in G["critique"]:
            got = R.critique_reward(TABLES[c["table"]], c["truth"], c["verdict"])
            self.close(got, c["expected"], str(c))

    def test_eq3_weighted(self):
        for c in G["weighted"]:
            got = R.weighted_critique_reward(TABLES[c["table"]], c["truth"], c["verdict"], c["p"])
            self.close(got, c["expected"], str(c))

    def test_eq4_denoise(self):
        for c in G["denoise"]:
            self.close(R.denoised_reward(c["verdict"], c["k"], c["m"]), c["expected"], str(c))

    def test_compute_score_critiques(self):
        """What verl calls: verdict parsed from the text, table or Eq. 3, plus R_q from extra_info."""
        for c in G["score"]:
            info = {
                "gcrl_role": "critique",
                "gcrl_truth": c["truth"],
                "gcrl_weighted": c["weighted"],
                "gcrl_p": c["p"],
                "gcrl_refine_k": c["k"],
                "gcrl_refine_m": c["m"],
            }
            r = R.compute_score("gcrl/add2", c["text"], "122", info, reward_table=TABLES[c["table"]])
            self.close(r["score"], c["expected"], str(c))
            self.assertEqual(r["verdict"], {"correct": 1.0, "wrong": 0.0, "none": -1.0}[c["verdict"]])

    def test_running_mean(self):
        for c in G["running_mean"]:
            rm = R.RunningMean(**c["opts"])
            for u, v in zip(c["updates"], c["values"]):
                self.close(rm.update(u), v, str(c["opts"]))

    def test_predicted_bias(self):
        for c in G["predicted_bias"]:
            got = R.predicted_bias(c["p"], c["alpha"], c["beta"])
            for k, v in c["expected"].items():
                self.close(got[k], v, k)


class ComputeScoreContract(unittest.TestCase):
    KEYS = {"score", "acc", "role", "verdict", "truth", "base_reward", "denoise_reward", "weight_p"}

    def test_same_keys_for_every_role(self):
        """DataProto.concat needs the same reward columns on responses and critiques."""
        a = R.compute_score("x", "so \\boxed{122}", "122", {})
        b = R.compute_score("x", "Verdict: correct", "122", {"gcrl_role": "critique", "gcrl_truth": True})
        c = R.compute_score("x", "\\boxed{121}", "122", {"gcrl_role": "refinement"})
        self.assertEqual(set(a), self.KEYS)
        self.assertEqual(set(b), self.KEYS)
        self.assertEqual(set(c), self.KEYS)
        self.assertEqual((a["score"], b["score"], c["score"]), (1.0, 0.7, 0.0))

    def test_bad_role_and_cell(self):
        with self.assertRaises(ValueError):
            R.compute_score("x", "", "1", {"gcrl_role": "judge"})
        with self.assertRaises(ValueError):
            R.critique_reward({"correctRite": 1}, True, "correct")
        with self.assertRaises(ValueError):
            R.denoised_reward("correct", 2, 1)


class Parsing(unittest.TestCase):
    def test_verdicts(self):
        cases = {
            "Verdict: correct": "correct",
            "...\n**Verdict:** incorrect": "wrong",
            "verdict: Wrong": "wrong",
            "Verdict: correct\nVerdict: incorrect": "none",  # two verdicts void it
            "Verdict: correct. Again, Verdict: correct": "correct",
            "<think>Verdict: incorrect? no</think>Verdict: correct": "correct",
            "The answer is correct.": "none",
            "": "none",
        }
        for text, want in cases.items():
            self.assertEqual(R.parse_verdict(text), want, text)

    def test_answers(self):
        self.assertEqual(R.extract_answer("so x = \\boxed{\\frac{1}{2}}."), "\\frac{1}{2}")
        self.assertEqual(R.extract_answer("blah\n#### 1,234"), "1,234")
        self.assertEqual(R.extract_answer("first 3 then 42."), "42")
        self.assertIsNone(R.extract_answer("no digits"))
        self.assertTrue(R.verify("The sum is \\boxed{122}.", "122"))
        self.assertTrue(R.verify("#### 1,234", "1234"))
        self.assertTrue(R.verify("\\boxed{0.50}", "0.5"))
        self.assertFalse(R.verify("\\boxed{121}", "122"))
        self.assertFalse(R.verify("", "122"))
        self.assertTrue(R.verify("\\boxed{x+1}", "x + 1"))


if __name__ == "__main__":
    unittest.main()
