import pytest

from apps.core.warmup import warm_up, warm_up_in_background

CALLS = []


def record():
    CALLS.append("ok")


def explode():
    raise RuntimeError("model missing")


def test_warm_up_calls_each_function_and_survives_a_failing_one(caplog):
    CALLS.clear()
    warm_up(["tests.core.test_warmup.explode", "tests.core.test_warmup.record"])
    assert CALLS == ["ok"]
    assert "warm-up tests.core.test_warmup.explode failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_background_warm_up_runs_in_its_own_thread():
    CALLS.clear()
    warm_up_in_background(["tests.core.test_warmup.record"]).join(timeout=10)
    assert CALLS == ["ok"]
