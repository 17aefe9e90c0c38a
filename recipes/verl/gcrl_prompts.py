"""Prompt templates for a chat model: the playground's three formats over one policy.

generation  question -> response           (the dataset's own prompt; ends with \\boxed{answer})
critique    question + response -> critique (the critic's own working, then one verdict line)
refinement  question + response + critique -> refined response (Eq. 4's self-correction)

The playground's toy critique is "recomputed answer, per-digit marks, verdict token"; here the
critic works the problem itself, compares, and ends with ``Verdict: correct`` or ``Verdict:
incorrect`` (reward_gcrl.parse_verdict). Edit the wording for your model; keep the verdict line
and the \\boxed{} answer, or change the parsers in reward_gcrl.py with them.
"""

from __future__ import annotations

import re

CRITIQUE_TEMPLATE = """You are checking someone else's solution to a problem.
Work the problem out yourself step by step, compare your result with the solution's final answer, \
and point out the first error if there is one. Judge only whether the final answer is right.
End your reply with exactly one line: "Verdict: correct" if the solution's final answer is right, \
or "Verdict: incorrect" if it is wrong.

## Problem
{question}

## Solution to check
{response}"""

REFINE_TEMPLATE = """A reviewer checked your solution and wrote:

{critique}

Taking the review into account (it may itself be mistaken), solve the problem again from the start. \
Put your final answer in \\boxed{{}}."""

_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)


def strip_thinking(text: str) -> str:
    """Drops <think>...</think> blocks, so a critic judges the solution, not the scratchpad."""
    return _THINK.sub("", text or "").strip()


def question_text(raw_prompt, extra_info) -> str:
    """The question as the critic sees it: ``extra_info['question']`` when the dataset has it
    (verl's gsm8k/math preprocessors write it), else the last user message of the prompt."""
    q = (extra_info or {}).get("question")
    if q:
        return str(q)
    for msg in reversed(list(raw_prompt or [])):
        if msg.get("role") == "user":
            return str(msg.get("content", ""))
    raise ValueError("cannot find the question: set extra_info.question in the dataset or give a user message")


def critique_messages(question: str, response: str) -> list:
    return [{"role": "user", "content": CRITIQUE_TEMPLATE.format(question=question, response=strip_thinking(response))}]


def refinement_messages(raw_prompt, response: str, critique: str) -> list:
    """The original conversation, the model's answer, then the critique as a user turn."""
    return [
        *[dict(m) for m in raw_prompt],
        {"role": "assistant", "content": strip_thinking(response)},
        {"role": "user", "content": REFINE_TEMPLATE.format(critique=strip_thinking(critique))},
    ]
