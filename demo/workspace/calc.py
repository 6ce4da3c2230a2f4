"""A tiny project for mybro's demo: mybro-exec runs its tests when you say "run the tests"."""


def add(a, b):
    return a + b


def mean(values):
    if not values:
        raise ValueError("mean of no values")
    return sum(values) / len(values)
