"""One optimisation step over several optimisers (e.g. dense AdamW + sparse Adam), each with an
optional learning-rate scheduler."""

from __future__ import annotations

from itertools import zip_longest


def optimiser_step(loss, optimisers, schedulers=()) -> None:
    """Zero every optimiser's gradients, back-propagate ``loss``, then step each optimiser and
    its scheduler (``schedulers`` pairs with ``optimisers`` in order; may be empty)."""
    for opt in optimisers:
        opt.zero_grad()
    loss.backward()
    for opt, sched in zip_longest(optimisers, schedulers):
        opt.step()
        if sched is not None:
            sched.step()
