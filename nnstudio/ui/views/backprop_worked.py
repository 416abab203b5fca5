"""The backprop lab's worked maths: the chain rule of the selected weight, its
factors in words, and the update, as rich text with the lab's numbers.

Every number comes from `core.lessons.backprop` (autograd on the real model); what a
factor means comes from the core too (`Factor.meaning`), so nothing here parses names.
"""

from __future__ import annotations

from html import escape

import torch
from PySide6.QtCore import QObject

from nnstudio.core.lessons.backprop import ChainRule, Factor, LabNetwork, short_floats

DIGITS = 8  # decimals of the worked numbers (Mazur's example prints 8)


class WorkedText(QObject):
    """Writes the chain-rule panel. `html()` is all the lab asks for."""

    def html(
        self,
        lab: LabNetwork,
        stage: str,
        selected: str | None,
        before: LabNetwork | None = None,
        update: dict[str, tuple[float, float]] | None = None,
        grads_used: dict[str, float] | None = None,
    ) -> str:
        """After Update, the rule of the selected weight as it was before the step
        (`before`, the lab then) and its update; after Backward, its rule now."""
        if stage in ("edit", "forward") or selected is None:
            return self.tr(
                "Press <b>2 Backward</b>, then click an edge or a bias box "
                "to see its gradient worked out by the chain rule."
            )
        if stage == "update":
            rule = self.rule(before, selected) if before is not None else ""
            return rule + self.update(lab, selected, update or {}, grads_used or {})
        return self.rule(lab, selected)

    def rule(self, lab: LabNetwork, name: str) -> str:
        """The weight's chain rule with the lab's numbers, and why."""
        rule = lab.chain_rule(name)
        lines = [rule.formula(), "    " + rule.numbers(DIGITS)]
        if rule.expansion:
            sums = " + ".join(
                " * ".join(f.name for f in t.factors) for t in rule.expansion
            )
            nums = " + ".join(
                " * ".join(f"{f.value:.{DIGITS}f}" for f in t.factors)
                for t in rule.expansion
            )
            total = sum(t.product for t in rule.expansion)
            lines += [
                "",
                self.tr("where"),
                f"{rule.expanded} = {sums}",
                f"    = {nums} = {total:.{DIGITS}f}",
            ]
        check = self.tr("autograd gives dE/d{0} = {1}").format(
            rule.weight, f"{rule.gradient:.{DIGITS}f}"
        )
        lines += ["", check]
        if not rule.trainable:
            lines.append(self.tr("(this bias does not train: the update leaves it)"))
        return mono(lines) + self._factor_table(rule)

    def _factor_table(self, rule: ChainRule) -> str:
        """Each factor of the first term with its value and the textbook reason."""
        rows = "".join(
            f"<tr><td><tt>{escape(f.name)}</tt></td><td align='right'><tt>"
            f"{f.value:.{DIGITS}f}</tt></td><td>{escape(self.why(f))}</td></tr>"
            for f in rule.terms[0].factors
        )
        return f"<table cellspacing='6'>{rows}</table>"

    def why(self, factor: Factor) -> str:
        """What a factor is, in words: the formula autograd's number agrees with."""
        words = {
            "error-half-sse": self.tr("= out − target (from E = ½ Σ (target − out)²)"),
            "error-mse": self.tr(
                "= 2 (out − target) / n (from E = mean (target − out)²)"
            ),
            "sum-next": self.tr("= Σ over the next layer of dE/dnet · w (see “where”)"),
            "slope-sigmoid": self.tr("= out (1 − out), the sigmoid's slope"),
            "slope-tanh": self.tr("= 1 − out², the slope of tanh"),
            "slope-relu": self.tr("= 1 if net > 0, else 0 (ReLU)"),
            "slope-linear": self.tr("= 1 (no activation)"),
            "bias": self.tr("= 1: the bias is added to net"),
        }
        if factor.meaning == "input":
            return self.tr("= out of {0}, the input this weight multiplies").format(
                factor.source
            )
        return words.get(factor.meaning, "")

    def update(
        self,
        lab: LabNetwork,
        name: str,
        update: dict[str, tuple[float, float]],
        grads_used: dict[str, float],
    ) -> str:
        """The selected weight's SGD step: old − η · gradient = new."""
        if name not in update:
            return ""
        old, new = update[name]
        if old == new:
            return mono(
                [
                    "",
                    self.tr("{0} stays {1} (it does not train)").format(name, num(old)),
                ]
            )
        grad = grads_used[name]
        return mono(
            [
                "",
                self.tr("update (η = {0}):").format(num(lab.lr)),
                f"{name}⁺ = {name} − η * dE/d{name}",
                f"    = {num(old)} − {num(lab.lr)} * {grad:.{DIGITS}f}",
                f"    = {num(new)}",
            ]
        )


def num(value: float) -> str:
    """A float32 parameter as the shortest decimal that is exactly it ("0.4")."""
    return str(short_floats(torch.tensor([value]))[0])


def mono(lines: list[str]) -> str:
    """Lines in a monospace block, so the factors line up under the formula."""
    body = "<br>".join(escape(line).replace("  ", "&nbsp;&nbsp;") for line in lines)
    return f"<div style='font-family: monospace'>{body}</div>"
