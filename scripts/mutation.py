"""Mutation testing of the business rules: change one rule at a time, run the tests, count the
changes no test notices (survivors: rules nobody defends).

    .venv/bin/python scripts/mutation.py exams/services/vouchers.py -- tests/exams/test_vouchers.py
    .venv/bin/python scripts/mutation.py            # every services/selectors module (long)

Each mutant flips one comparison (== / !=, < / <=, > / >=, in / not in), one boolean operator
(and / or), one boolean constant, removes one `not`, or changes one integer constant by one, in
a copy of the module written over the original for the run (restored afterwards, also on ^C).
The tests run with pytest-django's --reuse-db so each mutant costs a few seconds."""

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    *sorted((ROOT / "exams/services").glob("*.py")),
    *sorted((ROOT / "trainers/services").glob("*.py")),
    ROOT / "certificates/services.py",
    ROOT / "courses/services.py",
    ROOT / "accounts/services.py",
    ROOT / "exams/selectors.py",
    ROOT / "certificates/selectors.py",
    ROOT / "courses/selectors.py",
]
SWAP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
        ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}  # fmt: skip


class Sites(ast.NodeVisitor):
    """Every place one mutation can be made, in source order, as (kind, node id, line)."""

    def __init__(self):
        self.sites = []

    def visit_Compare(self, node):
        for i, op in enumerate(node.ops):
            if type(op) in SWAP:
                self.sites.append(("compare", id(node), i, node.lineno))
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        self.sites.append(("boolop", id(node), 0, node.lineno))
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            self.sites.append(("not", id(node), 0, node.lineno))
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            self.sites.append(("bool", id(node), 0, node.lineno))
        elif isinstance(node.value, int) and not isinstance(node.value, bool):
            self.sites.append(("int", id(node), 0, node.lineno))


class Mutate(ast.NodeTransformer):
    def __init__(self, site):
        self.kind, self.target, self.index, _ = site

    def visit_Compare(self, node):
        self.generic_visit(node)
        if self.kind == "compare" and id(node) == self.target:
            node.ops[self.index] = SWAP[type(node.ops[self.index])]()
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        if self.kind == "boolop" and id(node) == self.target:
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if self.kind == "not" and id(node) == self.target:
            return node.operand
        return node

    def visit_Constant(self, node):
        if id(node) == self.target and self.kind == "bool":
            return ast.copy_location(ast.Constant(not node.value), node)
        if id(node) == self.target and self.kind == "int":
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node


def mutants(path):
    source = path.read_text()
    tree = ast.parse(source)
    finder = Sites()
    finder.visit(tree)
    for site in finder.sites:
        tree = ast.parse(source)
        finder2 = Sites()
        finder2.visit(tree)
        match = finder2.sites[finder.sites.index(site)]
        mutated = Mutate(match).visit(tree)
        yield site[0], site[3], ast.unparse(mutated)


def run_tests(tests):
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--reuse-db",
           "-m", "not browser and not broker and not postgres", *tests]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)  # noqa: S603
    return result.returncode == 0


def main(argv):
    targets, tests = [], ["tests/"]
    if "--" in argv:
        i = argv.index("--")
        targets, tests = [ROOT / a for a in argv[:i]], argv[i + 1 :]
    elif argv:
        targets = [ROOT / a for a in argv]
    targets = targets or [p for p in DEFAULT if p.name != "__init__.py"]
    if not run_tests(tests):
        sys.exit("The tests fail before any mutation: fix them first.")
    killed = survived = 0
    started = time.monotonic()
    for path in targets:
        original = path.read_text()
        try:
            for kind, line, text in mutants(path):
                path.write_text(text)
                if run_tests(tests):
                    survived += 1
                    print(f"SURVIVED {path.relative_to(ROOT)}:{line} ({kind})", flush=True)
                else:
                    killed += 1
        finally:
            path.write_text(original)
    total = killed + survived
    score = 100 * killed / total if total else 100
    print(
        f"\n{killed} of {total} mutants killed: mutation score {score:.0f} % ({time.monotonic() - started:.0f} s)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
