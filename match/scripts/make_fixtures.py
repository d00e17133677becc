#!/usr/bin/python3
"""Write match/testdata/*.json: problems with optimal totals found by scipy.

Capacities and Optional have no scipy counterpart, so each problem is expanded
into a plain rectangular one: column j becomes min(capacity, rows) slot
columns, slot k costing k*slot_cost more, and with Optional each row gets a
dummy column of its own at cost 0 (inf for every other row). scipy treats inf
as forbidden.
"""
import json
import math
import pathlib

import numpy as np
from scipy.optimize import linear_sum_assignment

TESTDATA = pathlib.Path(__file__).resolve().parent.parent / "testdata"


def expand(cost, capacity, slot_cost, optional):
    rows, cols = cost.shape
    columns = []
    for j in range(cols):
        for k in range(min(1 if capacity is None else capacity[j], rows)):
            columns.append(cost[:, j] + k * slot_cost)
    if optional:
        for r in range(rows):
            dummy = np.full(rows, np.inf)
            dummy[r] = 0.0
            columns.append(dummy)
    return np.column_stack(columns) if columns else np.zeros((rows, 0))


def optimum(cost, capacity=None, slot_cost=0.0, optional=False):
    """Return scipy's optimal total, or None when no assignment exists."""
    expanded = expand(cost, capacity, slot_cost, optional)
    try:
        row, col = linear_sum_assignment(expanded)
    except ValueError:  # infeasible
        return None
    if len(row) < cost.shape[0]:
        return None
    return float(expanded[row, col].sum())


def draw(rng, rows, cols, *, forbidden=0.0, integer=None, negative=False):
    if integer is not None:
        cost = rng.integers(integer[0], integer[1] + 1, size=(rows, cols)).astype(float)
    else:
        cost = np.round(rng.random((rows, cols)), 6)
        if negative:
            cost = np.round(1.5 * cost - 1, 6)
    cost[rng.random((rows, cols)) < forbidden] = np.inf
    return cost


def write(name, cost, capacity=None, slot_cost=0.0, optional=False):
    total = optimum(cost, capacity, slot_cost, optional)
    assert total is not None, name
    rows, cols = cost.shape
    fixture = {
        "rows": rows,
        "cols": cols,
        "cost": [None if math.isinf(c) else c for c in cost.ravel().tolist()],
        "capacity": capacity,
        "slotCost": slot_cost,
        "optional": optional,
        "total": total,
    }
    path = TESTDATA / f"{name}.json"
    path.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"{path.name}: {rows}x{cols} total {total}")


def main():
    TESTDATA.mkdir(exist_ok=True)
    rng = np.random.default_rng(2024)
    write("square", draw(rng, 50, 50))
    write("wide_forbidden", draw(rng, 30, 80, forbidden=0.4))
    write("tall_optional", draw(rng, 60, 40, forbidden=0.3, negative=True), optional=True)
    write("ties", draw(rng, 60, 60, forbidden=0.6, integer=(0, 9)))
    write(
        "capacity",
        draw(rng, 50, 25, forbidden=0.2),
        capacity=rng.integers(1, 4, size=25).tolist(),
        slot_cost=0.125,
    )
    write(
        "capacity_optional",
        draw(rng, 60, 80, forbidden=0.3, negative=True),
        capacity=rng.integers(0, 4, size=80).tolist(),
        slot_cost=0.05,
        optional=True,
    )
    write(
        "capacity_ties",
        draw(rng, 40, 30, forbidden=0.2, integer=(-3, 1)),
        capacity=rng.integers(0, 4, size=30).tolist(),
        slot_cost=1.0,
        optional=True,
    )


if __name__ == "__main__":
    main()
