"""Small helpers shared by the daemon tests (importable: pytest puts tests/ on sys.path)."""
from __future__ import annotations

import time


def clicked(button) -> None:
    """Click, and assert the callback returned to the kernel within 100 ms."""
    t0 = time.perf_counter()
    button.click()
    assert time.perf_counter() - t0 < 0.1  # the callback returns to the kernel at once


def until(pred, timeout: float = 10.0) -> bool:
    """Poll ``pred`` until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False
