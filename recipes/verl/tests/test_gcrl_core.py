"""gcrl_core: the data filter, cache, random sampling, grouping and median baseline (stdlib unittest)."""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import gcrl_core as C  # noqa: E402


def groups_of(*patterns):
    """groups_of("10", "11") -> question 0 with one right and one wrong response, question 1 all right."""
    return [[{"q": q, "r": i, "ok": ch == "1"} for i, ch in enumerate(p)] for q, p in enumerate(patterns)]


class Filter(unittest.TestCase):
    def test_one_correct_one_wrong_per_mixed_question(self):
        pairs, m = C.data_filter(groups_of("10100", "11111", "00000", "01"), random.Random(0))
        self.assertEqual([(p["q"], p["ok"]) for p in pairs], [(0, True), (0, False), (3, True), (3, False)])
        self.assertEqual(m["filter/kept_questions"], 2)
        self.assertEqual(m["filter/dropped_all_correct"], 1)
        self.assertEqual(m["filter/dropped_all_wrong"], 1)
        self.assertEqual(m["critic/label_ratio"], 0.5)

    def test_random_sampling_follows_accuracy(self):
        g = groups_of("1000", "1000", "1000", "1000", "1000")
        pairs, m = C.random_sampling(g, 20, random.Random(1))
        self.assertEqual(len(pairs), 20)
        self.assertAlmostEqual(m["critic/label_ratio"], 0.25)
        self.assertEqual(len({(p["q"], p["r"]) for p in pairs}), 20)  # without replacement
        self.assertEqual(len(C.random_sampling(g, 50, random.Random(1))[0]), 20)


class Cache(unittest.TestCase):
    def test_fifo_and_sampling(self):
        cache = C.QuestionResponseCache(4)
        self.assertEqual(cache.add([{"i": i, "ok": i % 2 == 0} for i in range(6)]), 2)
        self.assertEqual([x["i"] for x in cache.items], [2, 3, 4, 5])
        out, m = cache.sample(6, random.Random(2))
        self.assertEqual(len(out), 6)
        self.assertEqual({x["i"] for x in out[:4]}, {2, 3, 4, 5})
        self.assertEqual(m["cache/replaced"], 2)
        self.assertEqual(C.QuestionResponseCache(3).sample(5, random.Random(0))[0], [])
        with self.assertRaises(ValueError):
            C.QuestionResponseCache(0)

    def test_select_pairs(self):
        cache = C.QuestionResponseCache(16)
        pairs, m, weighted = C.select_pairs("filter", groups_of("10", "11"), 3, cache, random.Random(0))
        self.assertEqual((len(pairs), len(cache), weighted), (3, 2, False))
        self.assertTrue(C.select_pairs("randomReweight", groups_of("10"), 1, cache, random.Random(0))[2])
        with self.assertRaises(ValueError):
            C.select_pairs("balanced", [], 1, cache, random.Random(0))


class Grouping(unittest.TestCase):
    def test_uids(self):
        r = ["q1", "q1", "q2", "q2"]
        cq = ["q1", "q1", "q9", "q9"]
        cp = ["q1/pair0", "q1/pair0", "q9/pair1", "q9/pair1"]
        self.assertEqual(C.group_ids("per_prompt", r, cq, cp, "s"), (r, cp))
        self.assertEqual(C.group_ids("question", r, cq, cp, "s"), (r, cq))
        self.assertEqual(C.group_ids("step", r, cq, cp, "s"), (["s"] * 4, ["s"] * 4))
        with self.assertRaises(ValueError):
            C.group_ids("mixed", r, cq, cp, "s")

    def test_median_and_zero_variance(self):
        scores = [1, 0, 0, 0.7, 0.7, 0.7, 5]
        index = ["a", "a", "a", "b", "b", "b", "c"]
        self.assertEqual(C.median_advantages(scores, index), [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
        self.assertEqual(C.median_advantages([1, 0, 1, 0], ["a"] * 4), [0.5, -0.5, 0.5, -0.5])
        self.assertEqual(C.zero_variance_mask(scores, index), [False] * 3 + [True] * 4)


class CriticMetrics(unittest.TestCase):
    def test_precision_recall(self):
        truths = [True, True, False, False, True]
        verdicts = ["correct", "none", "correct", "wrong", "wrong"]
        m = C.critic_metrics(truths, verdicts)
        self.assertAlmostEqual(m["critic/acc"], 2 / 5)
        self.assertAlmostEqual(m["critic/precision"], 1 / 2)
        self.assertAlmostEqual(m["critic/recall"], 1 / 3)
        self.assertAlmostEqual(m["critic/alpha"], 1 / 3)
        self.assertAlmostEqual(m["critic/beta"], 1 / 2)
        self.assertAlmostEqual(m["critic/verdict_rate"], 4 / 5)
        flipped = C.critic_metrics(truths, verdicts, positive="wrong")
        self.assertAlmostEqual(flipped["critic/precision"], 1 / 2)
        self.assertAlmostEqual(flipped["critic/recall"], 1 / 2)


if __name__ == "__main__":
    unittest.main()
