"""Writes test/fixtures/verl/verl-symbols.json: the top-level names of every verl module the recipe's
Python imports, RayPPOTrainer's methods and self.* attributes, and BaseTaskRunner's methods, at the
pinned verl commit.

usage: python3 test/recipe/extract_verl_symbols.py VERL_GIT_DIR COMMIT > test/fixtures/verl/verl-symbols.json
(VERL_GIT_DIR: a clone or bare mirror of verl-project/verl). Stdlib only.
"""

import ast
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPE = os.path.join(HERE, "..", "..", "recipes", "verl")


def show(git_dir, commit, path):
    r = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def top_level_names(tree):
    """Names a module defines at import time, including inside top-level if/try blocks."""
    names = set()

    def visit(body):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for h in node.handlers:
                    visit(h.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return sorted(names)


def imported_modules():
    mods = set()
    for f in glob.glob(os.path.join(RECIPE, "*.py")):
        for m in re.findall(r"^\s*from (verl[\w.]*) import", open(f).read(), re.M):
            mods.add(m)
    return sorted(mods)


def main(git_dir, commit):
    out = {"commit": commit, "modules": {}, "RayPPOTrainer": [], "BaseTaskRunner": []}
    for mod in imported_modules():
        base = mod.replace(".", "/")
        src = show(git_dir, commit, base + ".py") or show(git_dir, commit, base + "/__init__.py")
        out["modules"][mod] = None if src is None else top_level_names(ast.parse(src))
    src = show(git_dir, commit, "verl/trainer/ppo/ray_trainer.py")
    cls = next(n for n in ast.parse(src).body if isinstance(n, ast.ClassDef) and n.name == "RayPPOTrainer")
    members = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for n in ast.walk(cls):
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self":
            if isinstance(n.ctx, ast.Store):
                members.add(n.attr)
    out["RayPPOTrainer"] = sorted(members)
    src = show(git_dir, commit, "verl/trainer/main_ppo_v0.py")
    runner = next(n for n in ast.parse(src).body if isinstance(n, ast.ClassDef) and n.name == "BaseTaskRunner")
    out["BaseTaskRunner"] = sorted(n.name for n in runner.body if isinstance(n, ast.FunctionDef))
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:3])
