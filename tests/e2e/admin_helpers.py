"""Helpers for driving Wagtail admin forms, whatever widget a field renders with."""

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect


def choose(page, field, *values):
    """Choose ``values`` (primary keys) in a select, multiple select or checkbox list."""
    widget = page.locator(f"#id_{field}")
    tag = widget.evaluate("el => el.tagName")
    if tag == "SELECT":
        widget.select_option([str(value) for value in values])
        return
    for value in values:
        page.locator(f"input[name='{field}'][value='{value}']").check()


def fill_date(page, field, value):
    """Type into a Wagtail date or date-time input and close its picker."""
    widget = page.locator(f"#id_{field}")
    widget.fill(value)
    widget.press("Tab")
    close_date_pickers(page, wait_for_one=True)


def close_date_pickers(page, wait_for_one=False):
    """Click outside any open date picker until none is left.

    The picker opens a moment after its input gets focus, so a slow machine may show it
    only after the value is typed: ``wait_for_one`` gives it that moment.
    """
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    if wait_for_one:
        with contextlib.suppress(PlaywrightTimeout):
            pickers.first.wait_for(state="visible", timeout=1500)
    for _ in range(10):
        if not pickers.count():
            break
        page.locator("main").click(position={"x": 2, "y": 2})
        page.wait_for_timeout(100)
    expect(pickers).to_have_count(0)


def save(page):
    """Press the save button of a Wagtail create or edit form (the footer's first action)."""
    close_date_pickers(page)
    page.locator("main button.action-save, main footer button[type=submit]").first.click()
